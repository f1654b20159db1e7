package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.fedmed.secagg.message.KeyAdvertisement;
import org.fedmed.secagg.message.KeyDirectory;
import org.fedmed.secagg.message.MaskedInput;
import org.fedmed.secagg.message.SecAggMessage;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.message.SetupRequest;
import org.fedmed.secagg.message.ShareBundle;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.message.UnmaskRequest;
import org.fedmed.secagg.message.UnmaskResponse;

/**
 * Runs one whole secure-aggregation round in process: n {@link SecAggClient}s and one {@link SecAggServer},
 * every message passed through its wire encoding ({@link SecAggCodec}) as a network would, and clients dropping
 * where a {@link DropoutSchedule} says. Used by simulation and tests; a deployment runs the same client and
 * server over a transport instead.
 *
 * <p>Each party's work runs on the calling thread, one step at a time, and is charged to that party: thread
 * CPU time (encoding and decoding included) and encoded message bytes, reported as {@link RoundCosts}.
 */
public final class SecureAggregationRound {

    private final SecAggParameters parameters;
    private final String sessionId;
    private final long graphSeed;
    private final RandomnessSource randomness;
    private final SecAggCodec codec;

    /**
     * @param parameters the round's public parameters
     * @param sessionId  a name unique to this round (keys and ciphertexts are bound to it)
     * @param graphSeed  the public seed of the neighbour graph
     * @param randomness where each client draws its secrets
     */
    public SecureAggregationRound(SecAggParameters parameters, String sessionId, long graphSeed,
                                  RandomnessSource randomness) {
        this.parameters = parameters;
        this.sessionId = sessionId;
        this.graphSeed = graphSeed;
        this.randomness = randomness;
        this.codec = new SecAggCodec(parameters.ringBits());
    }

    /** Runs the round on inputs given up front: {@code inputs.get(i)} is client i + 1's vector in Z_{2^k}. */
    public RoundOutcome run(List<long[]> inputs, DropoutSchedule dropouts) {
        if (inputs.size() != parameters.numClients()) {
            throw new IllegalArgumentException("expected " + parameters.numClients() + " input vectors, got "
                    + inputs.size());
        }
        return run(id -> inputs.get(id - 1), dropouts);
    }

    /**
     * Runs the round; {@code inputOf} is asked for client u's vector in Z_{2^k} when u masks it, and its work is
     * charged to u (so quantizing there counts as site cost).
     *
     * @throws SecAggAbortedException  if too many clients dropped for the sum to be unmasked
     * @throws SecAggProtocolException if a party broke the protocol
     */
    public RoundOutcome run(IntFunction<long[]> inputOf, DropoutSchedule dropouts) {
        int n = parameters.numClients();
        CostMeter serverMeter = new CostMeter();
        CostMeter[] meters = new CostMeter[n + 1];
        SecAggClient[] clients = new SecAggClient[n + 1];
        for (int u = 1; u <= n; u++) {
            meters[u] = new CostMeter();
        }
        SetupRequest setup = new SetupRequest(sessionId, parameters, graphSeed);
        SecAggServer server = serverMeter.charge(() -> new SecAggServer(setup));
        byte[] setupBytes = serverMeter.charge(() -> codec.encode(setup));

        // Round 0: advertise keys.
        for (int u = 1; u <= n; u++) {
            serverMeter.sent(setupBytes.length);
            if (dropouts.dropsAtOrBefore(u, DropPoint.BEFORE_ADVERTISING)) {
                continue;
            }
            SecAggClient client = new SecAggClient(u, randomness.forClient(u));
            clients[u] = client;
            byte[] reply = meters[u].charge(() ->
                    codec.encode(client.advertiseKeys(codec.decode(setupBytes, SetupRequest.class))));
            transfer(meters[u], serverMeter, setupBytes.length, reply.length);
            serverMeter.charge(() -> server.receiveKeys(codec.decode(reply, KeyAdvertisement.class)));
        }
        Map<Integer, byte[]> directories = serverMeter.charge(() -> encodeAll(server.closeKeyAdvertising()));

        // Round 1: share keys.
        for (Map.Entry<Integer, byte[]> e : directories.entrySet()) {
            int u = e.getKey();
            serverMeter.sent(e.getValue().length);
            if (dropouts.dropsAtOrBefore(u, DropPoint.BEFORE_SHARING)) {
                continue;
            }
            byte[] reply = meters[u].charge(() ->
                    codec.encode(clients[u].shareKeys(codec.decode(e.getValue(), KeyDirectory.class))));
            transfer(meters[u], serverMeter, e.getValue().length, reply.length);
            serverMeter.charge(() -> server.receiveShares(codec.decode(reply, ShareBundle.class)));
        }
        Map<Integer, byte[]> deliveries = serverMeter.charge(() -> encodeAll(server.closeKeySharing()));

        // Round 2: masked input.
        for (Map.Entry<Integer, byte[]> e : deliveries.entrySet()) {
            int u = e.getKey();
            serverMeter.sent(e.getValue().length);
            if (dropouts.dropsAtOrBefore(u, DropPoint.BEFORE_MASKED_INPUT)) {
                continue;
            }
            byte[] reply = meters[u].charge(() -> codec.encode(
                    clients[u].maskInput(codec.decode(e.getValue(), ShareDelivery.class), inputOf.apply(u))));
            transfer(meters[u], serverMeter, e.getValue().length, reply.length);
            serverMeter.charge(() -> server.receiveMaskedInput(codec.decode(reply, MaskedInput.class)));
        }
        Map<Integer, byte[]> requests = serverMeter.charge(() -> encodeAll(server.closeMaskedInput()));

        // Round 3: unmasking.
        for (Map.Entry<Integer, byte[]> e : requests.entrySet()) {
            int u = e.getKey();
            serverMeter.sent(e.getValue().length);
            if (dropouts.dropsAtOrBefore(u, DropPoint.BEFORE_UNMASKING)) {
                continue;
            }
            byte[] reply = meters[u].charge(() ->
                    codec.encode(clients[u].unmask(codec.decode(e.getValue(), UnmaskRequest.class))));
            transfer(meters[u], serverMeter, e.getValue().length, reply.length);
            serverMeter.charge(() -> server.receiveUnmaskResponse(codec.decode(reply, UnmaskResponse.class)));
        }
        SecAggResult result = serverMeter.charge(server::finish);

        List<PartyCost> clientCosts = new ArrayList<>(n);
        for (int u = 1; u <= n; u++) {
            clientCosts.add(meters[u].cost());
        }
        return new RoundOutcome(result, new RoundCosts(clientCosts, serverMeter.cost()));
    }

    private Map<Integer, byte[]> encodeAll(Map<Integer, ? extends SecAggMessage> messages) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        messages.forEach((id, m) -> out.put(id, codec.encode(m)));
        return out;
    }

    private static void transfer(CostMeter client, CostMeter server, long toClient, long toServer) {
        client.received(toClient);
        client.sent(toServer);
        server.received(toServer);
    }
}
