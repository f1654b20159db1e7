package org.fedmed.secagg.message;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.fedmed.secagg.SecAggParameters;
import org.fedmed.secagg.SecAggProtocolException;
import org.junit.jupiter.api.Test;

class SecAggCodecTest {

    static byte[] bytes(int n, int fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    static List<SecAggMessage> samples(int ringBits) {
        KeyAdvertisement k1 = new KeyAdvertisement(1, bytes(32, 1), bytes(32, 2));
        KeyAdvertisement k2 = new KeyAdvertisement(2, bytes(32, 3), bytes(32, 4));
        EncryptedShare s12 = new EncryptedShare(1, 2, bytes(12, 5), bytes(96, 6));
        EncryptedShare s13 = new EncryptedShare(1, 3, bytes(12, 7), bytes(96, 8));
        long top = (1L << ringBits) - 1;
        return List.of(
                new SetupRequest("run-7/round-3", new SecAggParameters(10, 4, ringBits, 4, 3), -12345L),
                k1,
                new KeyDirectory(3, List.of(k1, k2)),
                new ShareBundle(1, List.of(s12, s13)),
                new ShareDelivery(2, List.of(s12)),
                new MaskedInput(4, new long[] {0, 1, top, top / 3}),
                new UnmaskRequest(5, new int[] {1, 2, 9}, new int[] {4}),
                new UnmaskResponse(5, List.of(new RevealedShare(1, ShareKind.SELF_MASK_SEED, new long[] {1, 2, 3, 4, 5}),
                        new RevealedShare(4, ShareKind.MASK_KEY, new long[] {9, 8, 7, 6, 5}))));
    }

    @Test
    void everyMessageRoundTripsAndItsSizeIsPredicted() {
        for (int bits : new int[] {8, 20, 32, 40, 62}) {
            SecAggCodec codec = new SecAggCodec(bits);
            for (SecAggMessage m : samples(bits)) {
                byte[] wire = codec.encode(m);
                assertEquals(codec.encodedSize(m), wire.length, m.toString());
                assertEquals(m, codec.decode(wire), bits + " bits: " + m);
            }
        }
    }

    @Test
    void maskedVectorTakesCeilingOfKOverEightBytesPerElement() {
        MaskedInput m = new MaskedInput(1, new long[1000]);
        assertEquals(10 + 4000, new SecAggCodec(32).encode(m).length);
        assertEquals(10 + 3000, new SecAggCodec(20).encode(m).length);
        assertEquals(10 + 8000, new SecAggCodec(62).encode(m).length);
    }

    @Test
    void truncatedOrOversizedOrMistypedInputIsRefused() {
        SecAggCodec codec = new SecAggCodec(32);
        byte[] wire = codec.encode(samples(32).get(3));
        var truncated = assertThrows(SecAggProtocolException.class,
                () -> codec.decode(Arrays.copyOf(wire, wire.length - 5)));
        assertTrue(truncated.getMessage().startsWith("malformed"), truncated.getMessage());
        var cut = assertThrows(SecAggProtocolException.class, () -> codec.decode(Arrays.copyOf(wire, 7)));
        assertTrue(cut.getMessage().contains("truncated"), cut.getMessage());
        var extra = assertThrows(SecAggProtocolException.class, () -> codec.decode(Arrays.copyOf(wire, wire.length + 2)));
        assertTrue(extra.getMessage().contains("unexpected bytes"), extra.getMessage());
        var type = assertThrows(SecAggProtocolException.class, () -> codec.decode(wire, MaskedInput.class));
        assertTrue(type.getMessage().contains("ShareBundle"), type.getMessage());
        byte[] hugeCount = wire.clone();
        hugeCount[5] = (byte) 0xFF;
        hugeCount[6] = (byte) 0xFF;
        hugeCount[7] = (byte) 0xFF;
        hugeCount[8] = (byte) 0x7F;
        assertThrows(SecAggProtocolException.class, () -> codec.decode(hugeCount));
    }

    @Test
    void maskedInputFromAnotherRingIsRefused() {
        byte[] wire = new SecAggCodec(40).encode(new MaskedInput(2, new long[] {1, 2}));
        var e = assertThrows(SecAggProtocolException.class, () -> new SecAggCodec(32).decode(wire));
        assertTrue(e.getMessage().contains("client 2"), e.getMessage());
    }
}
