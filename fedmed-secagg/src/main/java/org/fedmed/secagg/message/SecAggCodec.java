package org.fedmed.secagg.message;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.secagg.SecAggParameters;
import org.fedmed.secagg.SecAggProtocolException;
import org.fedmed.secagg.crypto.ShareCipher;
import org.fedmed.secagg.crypto.X25519;

/**
 * The wire form of the protocol messages: a one-byte tag, then the fields in order, little-endian, with a
 * 4-byte count before every list. Ring elements of a masked input take ceil(k / 8) bytes each, so a masked
 * vector in Z_{2^32} is exactly as large as the float vector it hides. A transport carries the bytes as an
 * opaque payload; their sizes are what the benchmarks count as traffic.
 *
 * <p>Decoding never trusts a count: every list is checked against the bytes left before anything is
 * allocated, and a message that is truncated, too long or whose fields fail validation is refused with a
 * {@link SecAggProtocolException}.
 */
public final class SecAggCodec {

    private static final byte SETUP = 1;
    private static final byte KEYS = 2;
    private static final byte DIRECTORY = 3;
    private static final byte BUNDLE = 4;
    private static final byte DELIVERY = 5;
    private static final byte MASKED = 6;
    private static final byte UNMASK_REQUEST = 7;
    private static final byte UNMASK_RESPONSE = 8;

    private static final int KEY_ADVERTISEMENT_BYTES = 4 + 2 * X25519.KEY_BYTES;

    private final int ringBits;
    private final int bytesPerElement;
    private final long ringMask;

    /** A codec for rounds in Z_{2^ringBits}. */
    public SecAggCodec(int ringBits) {
        if (ringBits < SecAggParameters.MIN_RING_BITS || ringBits > SecAggParameters.MAX_RING_BITS) {
            throw new IllegalArgumentException("ring_bits must be in [" + SecAggParameters.MIN_RING_BITS + ", "
                    + SecAggParameters.MAX_RING_BITS + "], got " + ringBits);
        }
        this.ringBits = ringBits;
        this.bytesPerElement = (ringBits + 7) / 8;
        this.ringMask = (1L << ringBits) - 1;
    }

    /** The wire form of {@code message}. */
    public byte[] encode(SecAggMessage message) {
        ByteBuffer out = ByteBuffer.allocate(encodedSize(message)).order(ByteOrder.LITTLE_ENDIAN);
        switch (message) {
            case SetupRequest m -> {
                out.put(SETUP);
                byte[] session = m.sessionId().getBytes(StandardCharsets.UTF_8);
                out.putInt(session.length).put(session);
                SecAggParameters p = m.parameters();
                out.putInt(p.numClients()).putInt(p.vectorLength()).putInt(p.ringBits()).putInt(p.degree())
                        .putInt(p.threshold()).putLong(m.graphSeed());
            }
            case KeyAdvertisement m -> {
                out.put(KEYS);
                putKeys(out, m);
            }
            case KeyDirectory m -> {
                out.put(DIRECTORY).putInt(m.recipient()).putInt(m.neighbourKeys().size());
                for (KeyAdvertisement k : m.neighbourKeys()) {
                    putKeys(out, k);
                }
            }
            case ShareBundle m -> {
                out.put(BUNDLE).putInt(m.sender());
                putShares(out, m.shares());
            }
            case ShareDelivery m -> {
                out.put(DELIVERY).putInt(m.recipient());
                putShares(out, m.shares());
            }
            case MaskedInput m -> {
                out.put(MASKED).putInt(m.sender()).put((byte) ringBits).putInt(m.maskedVector().length);
                putElements(out, m.maskedVector());
            }
            case UnmaskRequest m -> {
                out.put(UNMASK_REQUEST).putInt(m.recipient());
                putIds(out, m.survivingNeighbours());
                putIds(out, m.droppedNeighbours());
            }
            case UnmaskResponse m -> {
                out.put(UNMASK_RESPONSE).putInt(m.sender()).putInt(m.shares().size());
                for (RevealedShare s : m.shares()) {
                    long[] value = s.value();
                    out.putInt(s.owner()).put((byte) s.kind().ordinal()).putInt(value.length);
                    for (long v : value) {
                        out.putLong(v);
                    }
                }
            }
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("encoded " + out.position() + " bytes of a " + out.capacity() + "-byte "
                    + message.getClass().getSimpleName());
        }
        return out.array();
    }

    /** The number of bytes {@link #encode} produces for {@code message}. */
    public int encodedSize(SecAggMessage message) {
        long size = 1 + switch (message) {
            case SetupRequest m -> 4L + m.sessionId().getBytes(StandardCharsets.UTF_8).length + 5 * 4 + 8;
            case KeyAdvertisement m -> KEY_ADVERTISEMENT_BYTES;
            case KeyDirectory m -> 8L + (long) m.neighbourKeys().size() * KEY_ADVERTISEMENT_BYTES;
            case ShareBundle m -> 4L + sharesSize(m.shares());
            case ShareDelivery m -> 4L + sharesSize(m.shares());
            case MaskedInput m -> 4L + 1 + 4 + (long) m.maskedVector().length * bytesPerElement;
            case UnmaskRequest m -> 4L + 8 + 4L * (m.survivingNeighbours().length + m.droppedNeighbours().length);
            case UnmaskResponse m -> {
                long s = 8;
                for (RevealedShare r : m.shares()) {
                    s += 9 + 8L * r.value().length;
                }
                yield s;
            }
        };
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " would take " + size
                    + " bytes, more than one array can hold");
        }
        return (int) size;
    }

    /** Decodes a message of the expected type. */
    public <T extends SecAggMessage> T decode(byte[] bytes, Class<T> type) {
        SecAggMessage m = decode(bytes);
        if (!type.isInstance(m)) {
            throw new SecAggProtocolException("expected a " + type.getSimpleName() + " but received a "
                    + m.getClass().getSimpleName(), 0);
        }
        return type.cast(m);
    }

    /** Decodes any message. */
    public SecAggMessage decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            SecAggMessage m = decodeBody(in);
            if (in.hasRemaining()) {
                throw malformed(in.remaining() + " unexpected bytes after a " + m.getClass().getSimpleName());
            }
            return m;
        } catch (BufferUnderflowException e) {
            throw malformed("truncated after " + in.position() + " of " + bytes.length + " bytes");
        } catch (IllegalArgumentException e) {
            throw new SecAggProtocolException("malformed secure-aggregation message: " + e.getMessage(), 0, e);
        }
    }

    private SecAggMessage decodeBody(ByteBuffer in) {
        byte tag = in.get();
        return switch (tag) {
            case SETUP -> {
                int len = count(in, 1);
                byte[] session = new byte[len];
                in.get(session);
                SecAggParameters p = new SecAggParameters(in.getInt(), in.getInt(), in.getInt(), in.getInt(),
                        in.getInt());
                yield new SetupRequest(new String(session, StandardCharsets.UTF_8), p, in.getLong());
            }
            case KEYS -> getKeys(in);
            case DIRECTORY -> {
                int recipient = in.getInt();
                int n = count(in, KEY_ADVERTISEMENT_BYTES);
                List<KeyAdvertisement> keys = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    keys.add(getKeys(in));
                }
                yield new KeyDirectory(recipient, keys);
            }
            case BUNDLE -> {
                int sender = in.getInt();
                yield new ShareBundle(sender, getShares(in));
            }
            case DELIVERY -> {
                int recipient = in.getInt();
                yield new ShareDelivery(recipient, getShares(in));
            }
            case MASKED -> {
                int sender = in.getInt();
                int bits = in.get();
                if (bits != ringBits) {
                    throw malformed("masked input of client " + sender + " is in Z_2^" + bits + ", this round uses Z_2^"
                            + ringBits);
                }
                int n = count(in, bytesPerElement);
                yield new MaskedInput(sender, getElements(in, n, sender));
            }
            case UNMASK_REQUEST -> {
                int recipient = in.getInt();
                int[] surviving = getIds(in);
                int[] dropped = getIds(in);
                yield new UnmaskRequest(recipient, surviving, dropped);
            }
            case UNMASK_RESPONSE -> {
                int sender = in.getInt();
                int n = count(in, 9);
                List<RevealedShare> shares = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int owner = in.getInt();
                    int kind = in.get();
                    if (kind < 0 || kind >= ShareKind.values().length) {
                        throw malformed("unknown share kind " + kind + " from client " + sender);
                    }
                    long[] value = new long[count(in, 8)];
                    for (int j = 0; j < value.length; j++) {
                        value[j] = in.getLong();
                    }
                    shares.add(new RevealedShare(owner, ShareKind.values()[kind], value));
                }
                yield new UnmaskResponse(sender, shares);
            }
            default -> throw malformed("unknown message tag " + tag);
        };
    }

    private static void putKeys(ByteBuffer out, KeyAdvertisement k) {
        out.putInt(k.sender()).put(k.encryptionKey()).put(k.maskingKey());
    }

    private static KeyAdvertisement getKeys(ByteBuffer in) {
        int sender = in.getInt();
        byte[] c = new byte[X25519.KEY_BYTES];
        byte[] s = new byte[X25519.KEY_BYTES];
        in.get(c).get(s);
        return new KeyAdvertisement(sender, c, s);
    }

    private static long sharesSize(List<EncryptedShare> shares) {
        long s = 4;
        for (EncryptedShare e : shares) {
            s += 4 + 4 + ShareCipher.NONCE_BYTES + 4 + e.ciphertext().length;
        }
        return s;
    }

    private static void putShares(ByteBuffer out, List<EncryptedShare> shares) {
        out.putInt(shares.size());
        for (EncryptedShare e : shares) {
            byte[] ct = e.ciphertext();
            out.putInt(e.sender()).putInt(e.recipient()).put(e.nonce()).putInt(ct.length).put(ct);
        }
    }

    private static List<EncryptedShare> getShares(ByteBuffer in) {
        int n = count(in, 12 + ShareCipher.NONCE_BYTES);
        List<EncryptedShare> shares = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int sender = in.getInt();
            int recipient = in.getInt();
            byte[] nonce = new byte[ShareCipher.NONCE_BYTES];
            in.get(nonce);
            byte[] ct = new byte[count(in, 1)];
            in.get(ct);
            shares.add(new EncryptedShare(sender, recipient, nonce, ct));
        }
        return shares;
    }

    private static void putIds(ByteBuffer out, int[] ids) {
        out.putInt(ids.length);
        for (int id : ids) {
            out.putInt(id);
        }
    }

    private static int[] getIds(ByteBuffer in) {
        int[] ids = new int[count(in, 4)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.getInt();
        }
        return ids;
    }

    private void putElements(ByteBuffer out, long[] values) {
        switch (bytesPerElement) {
            case 4 -> {
                for (long v : values) {
                    out.putInt((int) v);
                }
            }
            case 8 -> {
                for (long v : values) {
                    out.putLong(v);
                }
            }
            default -> {
                for (long v : values) {
                    for (int b = 0; b < bytesPerElement; b++) {
                        out.put((byte) (v >>> (8 * b)));
                    }
                }
            }
        }
    }

    private long[] getElements(ByteBuffer in, int n, int sender) {
        long[] values = new long[n];
        long outside = 0;
        switch (bytesPerElement) {
            case 4 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = Integer.toUnsignedLong(in.getInt());
                    outside |= values[i];
                }
            }
            case 8 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = in.getLong();
                    outside |= values[i];
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    long v = 0;
                    for (int b = 0; b < bytesPerElement; b++) {
                        v |= (in.get() & 0xFFL) << (8 * b);
                    }
                    values[i] = v;
                    outside |= v;
                }
            }
        }
        if ((outside & ~ringMask) != 0) {
            throw malformed("masked input of client " + sender + " holds values outside Z_2^" + ringBits);
        }
        return values;
    }

    /** Reads a count and checks that that many items of at least {@code minItemBytes} fit in what is left. */
    private static int count(ByteBuffer in, int minItemBytes) {
        int n = in.getInt();
        if (n < 0 || (long) n * minItemBytes > in.remaining()) {
            throw malformed("count " + n + " does not fit in the " + in.remaining() + " bytes left");
        }
        return n;
    }

    private static SecAggProtocolException malformed(String why) {
        return new SecAggProtocolException("malformed secure-aggregation message: " + why, 0);
    }
}
