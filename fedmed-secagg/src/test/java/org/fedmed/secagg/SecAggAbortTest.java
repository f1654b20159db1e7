package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.message.UnmaskRequest;
import org.fedmed.secagg.message.UnmaskResponse;
import org.junit.jupiter.api.Test;

class SecAggAbortTest {

    @Test
    void moreDropoutsThanTheThresholdAllowsAbortsBeforeAnyShareIsRevealed() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(10, 50, 32), 3);
        Map<Integer, ShareDelivery> deliveries = h.shareKeys();
        // Threshold 5 of 9 neighbours; with 5 of 10 submitting, each survivor has only 4 surviving neighbours.
        Set<Integer> dropped = Set.of(1, 2, 3, 4, 5);
        var e = assertThrows(SecAggAbortedException.class, () -> h.submit(deliveries, dropped));
        assertEquals(4, e.survivors());
        assertEquals(5, e.threshold());
        assertTrue(e.getMessage().contains("nothing revealed"), e.getMessage());
        assertTrue(e.getMessage().contains("4 survived, threshold 5"), e.getMessage());
        assertTrue(h.server.aborted());
        assertEquals(0, h.server.revealedSharesReceived());
        assertTrue(h.server.result().isEmpty());
        assertThrows(IllegalStateException.class, h.server::finish);
    }

    @Test
    void driverReportsHowManySurvivedAgainstTheThreshold() {
        SecAggParameters params = SecAggParameters.classic(12, 10, 32);
        List<long[]> inputs = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            inputs.add(new long[10]);
        }
        DropoutSchedule drops = DropoutSchedule.randomFraction(12, 0.6, DropPoint.BEFORE_MASKED_INPUT, 1);
        var e = assertThrows(SecAggAbortedException.class, () -> new SecureAggregationRound(params, "s", 1,
                RandomnessSource.seededForSimulation(1)).run(inputs, drops));
        // 5 of 12 submitted: each has at most 5 surviving neighbours, below the threshold of 6.
        assertTrue(e.survivors() <= 5, e.getMessage());
        assertEquals(params.threshold(), e.threshold());
    }

    @Test
    void tooFewUnmaskAnswersAbortsAndDiscardsTheSharesReceived() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(8, 20, 32), 4);
        Map<Integer, UnmaskRequest> requests = h.submit(h.shareKeys(), Set.of());
        int t = h.parameters.threshold();
        // Only t - 1 clients answer: no secret can be rebuilt.
        for (int u = 1; u < t; u++) {
            h.server.receiveUnmaskResponse(h.clients[u].unmask(requests.get(u)));
        }
        var e = assertThrows(SecAggAbortedException.class, h.server::finish);
        assertTrue(e.survivors() < t, e.getMessage());
        assertTrue(h.server.result().isEmpty());
        assertTrue(h.server.aborted());
    }

    @Test
    void clientRefusesToUnmaskWhenTheServerClaimsTooFewSurvivors() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(8, 20, 32), 5);
        Map<Integer, UnmaskRequest> requests = h.submit(h.shareKeys(), Set.of());
        UnmaskRequest honest = requests.get(1);
        int[] all = honest.survivingNeighbours();
        // A server pretending nearly everyone dropped would collect mask-key shares of clients that did submit.
        int[] fewSurvivors = {all[0], all[1]};
        int[] claimedDropped = IntStream.of(all).skip(2).toArray();
        var e = assertThrows(SecAggAbortedException.class,
                () -> h.clients[1].unmask(new UnmaskRequest(1, fewSurvivors, claimedDropped)));
        assertTrue(e.getMessage().contains("client 1 refuses to unmask"), e.getMessage());
        assertEquals(2, e.survivors());
        // Having refused, the client answers nothing more, not even the honest request.
        assertThrows(IllegalStateException.class, () -> h.clients[1].unmask(honest));
    }

    @Test
    void roundWithFewerClientsThanAThresholdNeighbourhoodAbortsAtKeyAdvertising() {
        SecAggParameters params = SecAggParameters.classic(6, 4, 32);
        Map<Integer, DropPoint> drops = IntStream.rangeClosed(1, 4).boxed()
                .collect(Collectors.toMap(u -> u, u -> DropPoint.BEFORE_ADVERTISING));
        List<long[]> inputs = IntStream.range(0, 6).mapToObj(u -> new long[4]).toList();
        var e = assertThrows(SecAggAbortedException.class, () -> new SecureAggregationRound(params, "s", 1,
                RandomnessSource.seededForSimulation(1)).run(inputs, new DropoutSchedule(drops)));
        assertTrue(e.getMessage().contains("2 of 6 clients advertised keys"), e.getMessage());
    }

    @Test
    void unmaskResponseAfterAbortIsNotAccepted() {
        ProtocolHarness h = new ProtocolHarness(SecAggParameters.classic(8, 20, 32), 6);
        Map<Integer, UnmaskRequest> requests = h.submit(h.shareKeys(), Set.of());
        UnmaskResponse late = h.clients[1].unmask(requests.get(1));
        assertThrows(SecAggAbortedException.class, h.server::finish);
        assertThrows(IllegalStateException.class, () -> h.server.receiveUnmaskResponse(late));
    }
}
