package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.fedmed.secagg.message.KeyDirectory;
import org.fedmed.secagg.message.SetupRequest;
import org.fedmed.secagg.message.ShareBundle;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.message.UnmaskRequest;

/** Drives clients and a server step by step, so a test can stop between rounds or tamper with a message. */
final class ProtocolHarness {

    final SecAggParameters parameters;
    final SecAggServer server;
    final SecAggClient[] clients;
    final long[][] inputs;

    ProtocolHarness(SecAggParameters parameters, long seed) {
        this.parameters = parameters;
        this.server = new SecAggServer(new SetupRequest("test-session", parameters, seed));
        int n = parameters.numClients();
        this.clients = new SecAggClient[n + 1];
        this.inputs = new long[n + 1][];
        SplittableRandom r = new SplittableRandom(seed);
        RandomnessSource randomness = RandomnessSource.seededForSimulation(seed);
        for (int u = 1; u <= n; u++) {
            clients[u] = new SecAggClient(u, randomness.forClient(u));
            inputs[u] = new long[parameters.vectorLength()];
            for (int i = 0; i < inputs[u].length; i++) {
                inputs[u][i] = r.nextLong(1L << parameters.ringBits());
            }
        }
    }

    /** Runs rounds 0 and 1 for everyone; returns the round-2 deliveries. */
    Map<Integer, ShareDelivery> shareKeys() {
        for (int u = 1; u < clients.length; u++) {
            server.receiveKeys(clients[u].advertiseKeys(server.setupRequest()));
        }
        Map<Integer, KeyDirectory> dirs = server.closeKeyAdvertising();
        List<ShareBundle> bundles = new ArrayList<>();
        dirs.forEach((u, d) -> bundles.add(clients[u].shareKeys(d)));
        bundles.forEach(server::receiveShares);
        return server.closeKeySharing();
    }

    /** Runs round 2 for every client not in {@code dropped}; returns the round-3 requests. */
    Map<Integer, UnmaskRequest> submit(Map<Integer, ShareDelivery> deliveries, Set<Integer> dropped) {
        deliveries.forEach((u, d) -> {
            if (!dropped.contains(u)) {
                server.receiveMaskedInput(clients[u].maskInput(d, inputs[u]));
            }
        });
        return server.closeMaskedInput();
    }
}
