package org.fedmed.secagg;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.fedmed.secagg.graph.NeighbourGraph;
import org.fedmed.secagg.message.EncryptedShare;
import org.fedmed.secagg.message.KeyDirectory;
import org.fedmed.secagg.message.ShareBundle;
import org.fedmed.secagg.message.UnmaskRequest;
import org.junit.jupiter.api.Test;

class SecAggPlusNeighbourhoodTest {

    @Test
    void eachClientSharesWithAndIsAskedAboutItsNeighboursOnly() {
        SecAggParameters params = new SecAggParameters(24, 8, 32, 6, 4);
        ProtocolHarness h = new ProtocolHarness(params, 31);
        NeighbourGraph graph = NeighbourGraph.of(params, 31);
        for (int u = 1; u <= 24; u++) {
            h.server.receiveKeys(h.clients[u].advertiseKeys(h.server.setupRequest()));
        }
        Map<Integer, KeyDirectory> dirs = h.server.closeKeyAdvertising();
        for (int u = 1; u <= 24; u++) {
            KeyDirectory d = dirs.get(u);
            assertEquals(6, d.neighbourKeys().size(), "directory of client " + u);
            ShareBundle bundle = h.clients[u].shareKeys(d);
            int[] recipients = bundle.shares().stream().mapToInt(EncryptedShare::recipient).sorted().toArray();
            assertArrayEquals(graph.neighbours(u), recipients, "shares of client " + u);
            h.server.receiveShares(bundle);
        }
        var deliveries = h.server.closeKeySharing();
        Map<Integer, UnmaskRequest> requests = h.submit(deliveries, Set.of(5));
        for (Map.Entry<Integer, UnmaskRequest> e : requests.entrySet()) {
            int u = e.getKey();
            int[] asked = java.util.stream.IntStream.concat(Arrays.stream(e.getValue().survivingNeighbours()),
                    Arrays.stream(e.getValue().droppedNeighbours())).sorted().toArray();
            assertArrayEquals(graph.neighbours(u), asked, "unmask request of client " + u);
            assertEquals(graph.areNeighbours(u, 5), Arrays.stream(e.getValue().droppedNeighbours()).anyMatch(v -> v == 5));
        }
    }
}
