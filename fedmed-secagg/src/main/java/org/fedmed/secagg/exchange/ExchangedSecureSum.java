package org.fedmed.secagg.exchange;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.core.exchange.SiteExchange;
import org.fedmed.secagg.SecAggAbortedException;
import org.fedmed.secagg.SecAggException;
import org.fedmed.secagg.SecAggParameters;
import org.fedmed.secagg.SecAggResult;
import org.fedmed.secagg.SecAggServer;
import org.fedmed.secagg.SecureDeltaSum;
import org.fedmed.secagg.SecureSumConfig;
import org.fedmed.secagg.message.KeyAdvertisement;
import org.fedmed.secagg.message.MaskedInput;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.message.SecAggMessage;
import org.fedmed.secagg.message.SetupRequest;
import org.fedmed.secagg.message.ShareBundle;
import org.fedmed.secagg.message.UnmaskResponse;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * The coordinator's side of a secure sum run through a site pool ({@link SiteExchange}): one {@link SecAggServer},
 * driven one stage at a time, each stage with its own deadline. It sends each site its message, takes each answer as
 * it arrives (a masked input is decoded and folded into the server's one running sum at once, and dropped: the
 * coordinator holds O(P) of the vectors whatever the cohort's size), and ends the stage when every site has answered
 * or the deadline passed; a site that refused, failed, went away, timed out or broke the protocol has dropped at that
 * stage. It relays the sealed shares without reading them.
 *
 * <p>Sites get protocol ids 1..n in the order of their site ids. Every answer must come from the id its site was
 * given (mutual TLS binds the site; this binds its messages). Dropouts are recovered as the protocol allows: a site
 * that dropped after sharing keys is left out of the sum and its pairwise masks removed from its neighbours' shares;
 * one that dropped after its masked input stays in. If too many dropped, the round fails safely: the server aborts
 * before asking for a share (or discards what it got), wipes the running sum, and nothing is output.
 */
public final class ExchangedSecureSum {

    private final SecureSumConfig config;
    private final Duration stageDeadline;
    private final int minInputs;

    /** One site of the cohort: its id, the task whose update it keeps, and its integer weight in the sum. */
    public record Member(String siteId, String taskId, long weight) {
        public Member {
            if (weight < 1) {
                throw new IllegalArgumentException("site '" + siteId + "': weight must be >= 1, got " + weight);
            }
        }
    }

    /**
     * What a secure sum produced: the sum, or the reason it was aborted, and why each site left out of it was.
     *
     * @param sum      the summed deltas of the included sites; null when aborted
     * @param aborted  why the round was aborted; empty when it was not
     * @param leftOut  every site of the cohort whose delta is not in the sum, with the stage and reason
     */
    public record Outcome(SecureDeltaSum sum, String aborted, Map<String, String> leftOut) {
        public Outcome {
            leftOut = Map.copyOf(leftOut);
        }

        public boolean completed() {
            return sum != null;
        }
    }

    /**
     * @param config        the protocol, ring, clip bound, rounding and SecAgg+ sizing
     * @param stageDeadline how long each stage waits for the sites' answers
     */
    public ExchangedSecureSum(SecureSumConfig config, Duration stageDeadline) {
        this(config, stageDeadline, 1);
    }

    /**
     * @param minInputs the fewest masked inputs a sum is unmasked with: with fewer the round is aborted before any
     *                  share is asked for, and the server learns nothing (a round that would release no model
     *                  below {@code min_fit_sites} reveals no smaller sum either)
     */
    public ExchangedSecureSum(SecureSumConfig config, Duration stageDeadline, int minInputs) {
        if (stageDeadline == null || stageDeadline.isNegative() || stageDeadline.isZero()) {
            throw new IllegalArgumentException("secure_aggregation.stage_deadline must be positive, got "
                    + stageDeadline);
        }
        if (minInputs < 1) {
            throw new IllegalArgumentException("the fewest masked inputs to unmask must be >= 1, got " + minInputs);
        }
        this.config = config;
        this.stageDeadline = stageDeadline;
        this.minInputs = minInputs;
    }

    /**
     * Runs the round with {@code cohort} (at least 3 sites) over {@code exchange}.
     *
     * @param global the model the round started from (its layout is the summed vectors')
     * @param round  names the session
     * @param seed   seeds the public neighbour graph and the sites' stochastic rounding
     */
    public Outcome sum(List<Member> cohort, ModelParameters global, SiteExchange exchange, int round, long seed) {
        List<Member> members = new ArrayList<>(cohort);
        members.sort(Comparator.comparing(Member::siteId));
        int n = members.size();
        long totalWeight = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && members.get(i - 1).siteId().equals(members.get(i).siteId())) {
                throw new IllegalArgumentException("site '" + members.get(i).siteId() + "' appears twice in the cohort");
            }
            totalWeight += members.get(i).weight();
        }
        SecAggParameters parameters = config.parametersFor(n, global.size());
        RingQuantizer quantizer = new RingQuantizer(config.ringBits(), config.clipBound(), totalWeight,
                config.rounding());
        SplittableRandom roots = new SplittableRandom(seed);
        long graphSeed = roots.nextLong();
        long roundingSeed = roots.nextLong();
        SetupRequest setup = new SetupRequest("round-" + round, parameters, graphSeed);
        SecAggServer server = new SecAggServer(setup);
        SecAggCodec codec = new SecAggCodec(parameters.ringBits());
        Map<String, String> leftOut = new LinkedHashMap<>();
        Map<Integer, byte[]> toSend = new LinkedHashMap<>();
        for (int u = 1; u <= n; u++) {
            Member m = members.get(u - 1);
            toSend.put(u, new Invitation(u, m.weight(), totalWeight, config.clipBound(), config.rounding(),
                    roundingSeed, setup).encode());
        }
        try {
            stage(ExchangeStage.ADVERTISE_KEYS, toSend, members, exchange, leftOut, body -> {
                KeyAdvertisement k = codec.decode(body.bytes(), KeyAdvertisement.class);
                body.checkSender(k.sender());
                server.receiveKeys(k);
            });
            stage(ExchangeStage.SHARE_KEYS, encodeAll(codec, server.closeKeyAdvertising()), members, exchange, leftOut,
                    body -> {
                        ShareBundle b = codec.decode(body.bytes(), ShareBundle.class);
                        body.checkSender(b.sender());
                        server.receiveShares(b);
                    });
            stage(ExchangeStage.MASKED_INPUT, encodeAll(codec, server.closeKeySharing()), members, exchange, leftOut,
                    body -> {
                        MaskedInput y = codec.decode(body.bytes(), MaskedInput.class);
                        body.checkSender(y.sender());
                        server.receiveMaskedInput(y);
                    });
            stage(ExchangeStage.UNMASK, encodeAll(codec, server.closeMaskedInput(minInputs)), members, exchange, leftOut,
                    body -> {
                        UnmaskResponse r = codec.decode(body.bytes(), UnmaskResponse.class);
                        body.checkSender(r.sender());
                        server.receiveUnmaskResponse(r);
                    });
            SecAggResult result = server.finish();
            float[] sum = quantizer.dequantize(result.sum());
            long includedWeight = 0;
            List<String> included = new ArrayList<>();
            for (int id : result.included()) {
                includedWeight += members.get(id - 1).weight();
                included.add(members.get(id - 1).siteId());
            }
            List<String> dropped = new ArrayList<>();
            for (int id : result.dropped()) {
                String site = members.get(id - 1).siteId();
                dropped.add(site);
                leftOut.putIfAbsent(site, "left out of the secure sum");
            }
            for (String site : included) {
                leftOut.remove(site);
            }
            return new Outcome(new SecureDeltaSum(ModelParameters.ofFlat(global.layout(), sum), includedWeight,
                    included, dropped, quantizer.sumErrorBound(includedWeight)), "", leftOut);
        } catch (SecAggException e) {
            String reason = "secure aggregation of round " + round + " aborted, nothing was revealed: "
                    + withSiteNames(e, members);
            Map<String, String> all = new LinkedHashMap<>();
            for (Member m : members) {
                all.put(m.siteId(), leftOut.getOrDefault(m.siteId(), reason));
            }
            return new Outcome(null, reason, all);
        }
    }

    /** One answer's body, with the protocol id its site was given. */
    private record Answer(byte[] bytes, int expectedSender, String siteId) {
        void checkSender(int sender) {
            if (sender != expectedSender) {
                throw new org.fedmed.secagg.SecAggProtocolException("site '" + siteId + "' was given protocol id "
                        + expectedSender + " but its message is signed as client " + sender, expectedSender);
            }
        }
    }

    private void stage(ExchangeStage stage, Map<Integer, byte[]> bodies, List<Member> members, SiteExchange exchange,
                       Map<String, String> leftOut, Consumer<Answer> receive) {
        List<ExchangeMessage> messages = new ArrayList<>(bodies.size());
        Map<String, Integer> idOf = new LinkedHashMap<>();
        for (Map.Entry<Integer, byte[]> e : bodies.entrySet()) {
            Member m = members.get(e.getKey() - 1);
            idOf.put(m.siteId(), e.getKey());
            messages.add(new ExchangeMessage(m.siteId(), m.taskId(), stage, e.getValue()));
        }
        for (Member m : members) {
            if (!idOf.containsKey(m.siteId())) {
                leftOut.putIfAbsent(m.siteId(), "not sent stage " + stage + ": left out by the protocol at an earlier"
                        + " stage");
            }
        }
        exchange.exchange(messages, stageDeadline, new OutcomeSink<>() {
            @Override
            public void success(ExchangeMessage reply) {
                Integer id = idOf.get(reply.siteId());
                if (id == null || reply.stage() != stage) {
                    leftOut.putIfAbsent(reply.siteId(), "answered stage " + reply.stage() + " unasked");
                    return;
                }
                try {
                    receive.accept(new Answer(reply.body(), id, reply.siteId()));
                } catch (SecAggException | IllegalArgumentException e) {
                    leftOut.put(reply.siteId(), "dropped at stage " + stage + ": its answer broke the protocol: "
                            + e.getMessage());
                }
            }

            @Override
            public void failure(SiteFailure f) {
                leftOut.put(f.siteId(), "dropped at stage " + stage + " (" + f.kind() + "): " + f.reason());
            }
        });
    }

    private static Map<Integer, byte[]> encodeAll(SecAggCodec codec, Map<Integer, ? extends SecAggMessage> messages) {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        messages.forEach((id, m) -> out.put(id, codec.encode(m)));
        return out;
    }

    private static String withSiteNames(SecAggException e, List<Member> members) {
        String message = e.getMessage();
        StringBuilder out = new StringBuilder();
        var m = java.util.regex.Pattern.compile("client (\\d+)").matcher(message);
        while (m.find()) {
            int id = Integer.parseInt(m.group(1));
            String label = id >= 1 && id <= members.size()
                    ? "client " + id + " (site '" + members.get(id - 1).siteId() + "')" : m.group();
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(label));
        }
        m.appendTail(out);
        if (e instanceof SecAggAbortedException) {
            return out.toString();
        }
        return "protocol error: " + out;
    }
}
