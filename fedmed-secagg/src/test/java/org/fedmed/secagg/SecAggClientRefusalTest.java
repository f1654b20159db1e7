package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.fedmed.secagg.message.EncryptedShare;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.message.UnmaskRequest;
import org.fedmed.secagg.message.UnmaskResponse;
import org.junit.jupiter.api.Test;

class SecAggClientRefusalTest {

    @Test
    void serverAskingForBothSharesOfTheSameSiteIsRefusedNamingThatSite() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(8, 20, 32), 1);
        Map<Integer, UnmaskRequest> requests = h.submit(h.shareKeys(), Set.of());
        UnmaskRequest honest = requests.get(2);
        int victim = honest.survivingNeighbours()[3];
        UnmaskRequest greedy = new UnmaskRequest(2, honest.survivingNeighbours(), new int[] {victim});
        var e = assertThrows(SecAggProtocolException.class, () -> h.clients[2].unmask(greedy));
        assertTrue(e.getMessage().contains("both the self-mask share and the pairwise-mask key share of client " + victim),
                e.getMessage());
        assertEquals(victim, e.client().orElseThrow());
    }

    @Test
    void secondUnmaskRequestIsRefusedSoSharesCannotBeCollectedInTwoSteps() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(8, 20, 32), 2);
        Map<Integer, UnmaskRequest> requests = h.submit(h.shareKeys(), Set.of());
        UnmaskRequest honest = requests.get(3);
        UnmaskResponse first = h.clients[3].unmask(honest);
        assertEquals(honest.survivingNeighbours().length, first.shares().size());
        int victim = honest.survivingNeighbours()[0];
        int[] rest = IntStream.of(honest.survivingNeighbours()).filter(v -> v != victim).toArray();
        var e = assertThrows(SecAggProtocolException.class,
                () -> h.clients[3].unmask(new UnmaskRequest(3, rest, new int[] {victim})));
        assertTrue(e.getMessage().contains("already answered"), e.getMessage());
    }

    @Test
    void tamperedShareCiphertextIsRejectedNamingTheSender() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(6, 20, 32), 3);
        Map<Integer, ShareDelivery> deliveries = h.shareKeys();
        ShareDelivery honest = deliveries.get(4);
        List<EncryptedShare> shares = new ArrayList<>(honest.shares());
        EncryptedShare target = shares.get(1);
        byte[] ct = target.ciphertext();
        ct[ct.length - 1] ^= 0x01;  // flip one bit of the GCM tag
        shares.set(1, new EncryptedShare(target.sender(), target.recipient(), target.nonce(), ct));
        var e = assertThrows(SecAggProtocolException.class,
                () -> h.clients[4].maskInput(new ShareDelivery(4, shares), h.inputs[4]));
        assertTrue(e.getMessage().contains("from client " + target.sender()), e.getMessage());
        assertTrue(e.getMessage().contains("failed authentication"), e.getMessage());
        assertEquals(target.sender(), e.client().orElseThrow());
        // The client is finished: it masks nothing after a forged delivery.
        assertThrows(IllegalStateException.class, () -> h.clients[4].maskInput(honest, h.inputs[4]));
    }

    @Test
    void shareRelabelledWithAnotherSenderFailsAuthentication() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(6, 20, 32), 4);
        Map<Integer, ShareDelivery> deliveries = h.shareKeys();
        List<EncryptedShare> shares = new ArrayList<>(deliveries.get(1).shares());
        EncryptedShare a = shares.get(0);
        EncryptedShare b = shares.get(1);
        // The server swaps two senders' ciphertexts: each now claims to come from the other.
        shares.set(0, new EncryptedShare(a.sender(), a.recipient(), b.nonce(), b.ciphertext()));
        shares.set(1, new EncryptedShare(b.sender(), b.recipient(), a.nonce(), a.ciphertext()));
        var e = assertThrows(SecAggProtocolException.class,
                () -> h.clients[1].maskInput(new ShareDelivery(1, shares), h.inputs[1]));
        assertEquals(a.sender(), e.client().orElseThrow());
    }

    @Test
    void requestForSharesOfAClientThatNeverSharedIsRefused() {
        ProtocolHarness h = new ProtocolHarness(new SecAggParameters(10, 20, 32, 4, 3), 5);
        Map<Integer, UnmaskRequest> requests = h.submit(h.shareKeys(), Set.of());
        UnmaskRequest honest = requests.get(1);
        int stranger = IntStream.rangeClosed(2, 10)
                .filter(v -> IntStream.of(honest.survivingNeighbours()).noneMatch(x -> x == v))
                .findFirst().orElseThrow();
        var e = assertThrows(SecAggProtocolException.class, () -> h.clients[1].unmask(
                new UnmaskRequest(1, honest.survivingNeighbours(), new int[] {stranger})));
        assertTrue(e.getMessage().contains("holds no shares of client " + stranger), e.getMessage());
    }

    @Test
    void stepsOutOfOrderAreRejected() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(5, 4, 32), 6);
        var e = assertThrows(IllegalStateException.class,
                () -> h.clients[1].maskInput(new ShareDelivery(1, List.of()), new long[4]));
        assertTrue(e.getMessage().contains("expected SHARED"), e.getMessage());
        assertThrows(IllegalStateException.class, h.server::closeKeySharing);
    }
}
