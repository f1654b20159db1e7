package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.exchange.ExchangeMessage;
import org.fedmed.core.exchange.ExchangeParticipant;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.ServerOptimizerSettings;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.SecureAggregationStrategy;
import org.fedmed.secagg.SecureSumConfig;
import org.fedmed.secagg.exchange.Invitation;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.secagg.message.MaskedInput;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.quant.RingQuantizer;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.support.RawSite;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TargetSite;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secure aggregation over gRPC with mutual TLS, sites in this JVM: the server learns the sum of the surviving sites'
 * updates within the quantization error, recovers sites that drop between key sharing and masked input, fails a round
 * with too many dropouts safely, and never sees an unmasked update.
 */
@Timeout(120)
class SecureSumOverTheWireTest {

    static final double CLIP = 8.0;
    /** Each stage's deadline, for every site in: a site late on a loaded machine would count as dropped. */
    static final Duration STAGE = Duration.ofSeconds(8);

    /** How a site leaves a secure sum when it receives its masked-input stage. */
    enum Drop { NONE, REFUSE, DISCONNECT, SILENT, UNMASKED }

    /** A site that remembers the update its client trained in each round, to compute the plaintext sum from. */
    static final class RecordingSite implements SiteClient {
        final TargetSite inner;
        final Map<Integer, float[]> deltas = new ConcurrentHashMap<>();

        RecordingSite(TargetSite inner) {
            this.inner = inner;
        }

        @Override
        public String siteId() {
            return inner.siteId();
        }

        @Override
        public FitResult fit(FitTask t) throws Exception {
            FitResult r = inner.fit(t);
            float[] w = r.parameters().copyFlat();
            float[] g = t.global().flat();
            for (int i = 0; i < w.length; i++) {
                w[i] -= g[i];
            }
            deltas.put(t.round(), w);
            return r;
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return inner.evaluate(t);
        }
    }

    /** The site's own secagg client, except that it leaves the sum as {@code drop} says at the masked input. */
    static final class Dropping implements ExchangeParticipant {
        final ExchangeParticipant inner;
        final Drop drop;
        final SiteConnection[] self;
        final float[] delta;
        Invitation invitation;

        Dropping(ExchangeParticipant inner, Drop drop, SiteConnection[] self, float[] delta) {
            this.inner = inner;
            this.drop = drop;
            this.self = self;
            this.delta = delta;
        }

        @Override
        public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
            if (stage == ExchangeStage.ADVERTISE_KEYS) {
                invitation = Invitation.decode(body);
            }
            if (stage == ExchangeStage.MASKED_INPUT) {
                switch (drop) {
                    case REFUSE -> throw new ExchangeRefusedException("the site left the round");
                    case DISCONNECT -> {
                        self[0].dropConnection("the site's network failed");
                        throw new ExchangeRefusedException("the site's network failed");
                    }
                    case SILENT -> {
                        try {
                            Thread.sleep(STAGE.toMillis() + 1000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        throw new ExchangeRefusedException("the site woke up too late");
                    }
                    case UNMASKED -> {
                        inner.answer(stage, body);
                        // A broken client: it sends its quantized update without any mask.
                        var p = invitation.setup().parameters();
                        long[] plain = new RingQuantizer(p.ringBits(), invitation.clipBound(),
                                invitation.totalWeight(), invitation.rounding()).quantize(delta, invitation.weight(),
                                null);
                        return new SecAggCodec(p.ringBits()).encode(new MaskedInput(invitation.clientId(), plain));
                    }
                    default -> {
                    }
                }
            }
            return inner.answer(stage, body);
        }

        @Override
        public boolean finished() {
            return inner.finished();
        }
    }

    /** A pool in front of the server's intake that keeps every masked vector and fit result the server receives. */
    static final class Intake implements SitePool {
        final SitePool inner;
        final List<long[]> masked = new CopyOnWriteArrayList<>();
        final List<FitResult> fits = new CopyOnWriteArrayList<>();

        Intake(SitePool inner) {
            this.inner = inner;
        }

        @Override
        public List<String> availableSites() {
            return inner.availableSites();
        }

        @Override
        public void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink) {
            inner.fit(tasks, deadline, tap(sink));
        }

        @Override
        public void fit(List<FitTask> tasks, Duration deadline, int enough, OutcomeSink<FitResult> sink) {
            inner.fit(tasks, deadline, enough, tap(sink));
        }

        private OutcomeSink<FitResult> tap(OutcomeSink<FitResult> sink) {
            return new OutcomeSink<>() {
                @Override
                public void success(FitResult r) {
                    fits.add(r);
                    sink.success(r);
                }

                @Override
                public void failure(SiteFailure f) {
                    sink.failure(f);
                }
            };
        }

        @Override
        public void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink) {
            inner.evaluate(tasks, deadline, sink);
        }

        @Override
        public void exchange(List<ExchangeMessage> messages, Duration deadline, OutcomeSink<ExchangeMessage> sink) {
            inner.exchange(messages, deadline, new OutcomeSink<>() {
                @Override
                public void success(ExchangeMessage m) {
                    if (m.stage() == ExchangeStage.MASKED_INPUT) {
                        masked.add(new SecAggCodec(32).decode(m.body(), MaskedInput.class).maskedVector());
                    }
                    sink.success(m);
                }

                @Override
                public void failure(SiteFailure f) {
                    sink.failure(f);
                }
            });
        }
    }

    static ModelParameters initial(int size) {
        return ModelParameters.of(List.of(new Tensor("w", new int[]{size}, new float[size])));
    }

    static SecureAggregationStrategy strategy(SecureSumConfig sum, int minSites) {
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.UNIFORM, SiteSelection.all(minSites),
                new FitConfig(1, 8, 0.1, true, 0), 1.0);
        return new SecureAggregationStrategy(fedavg, sum, STAGE, ServerOptimizerSettings.sgd(1.0));
    }

    /** Chi-square statistic of the top byte of each 32-bit ring element over 256 equally likely bins. */
    static double topByteChiSquare(long[] v) {
        long[] counts = new long[256];
        for (long x : v) {
            counts[(int) (x >>> 24) & 0xFF]++;
        }
        double expected = v.length / 256.0;
        double s = 0;
        for (long c : counts) {
            s += (c - expected) * (c - expected) / expected;
        }
        return s;
    }

    /** Above this a vector is not uniform on Z_2^32: the chi-square(255) quantile at about 1 - 1e-8. */
    static final double UNIFORM_BOUND = 400;

    record Run(RunResult result, List<RecordingSite> sites, Intake intake, List<RecordingAuditLog> audits) {
    }

    static Run run(int n, int size, SecureSumConfig sum, Map<Integer, Drop> drops, int rounds) throws Exception {
        return run(n, size, sum, drops, rounds, ServerSettings.defaults());
    }

    static Run run(int n, int size, SecureSumConfig sum, Map<Integer, Drop> drops, int rounds, ServerSettings server)
            throws Exception {
        List<RecordingSite> sites = new ArrayList<>();
        List<RecordingAuditLog> audits = new ArrayList<>();
        try (TestFederation f = new TestFederation(server)) {
            for (int i = 0; i < n; i++) {
                RecordingSite site = new RecordingSite(new TargetSite(String.format("site-%02d", i), i - n / 2f, 10));
                sites.add(site);
                Drop drop = drops.getOrDefault(i, Drop.NONE);
                SiteConnection[] self = new SiteConnection[1];
                SecureSumParticipants own = new SecureSumParticipants(RandomnessSource.system());
                ExchangeParticipants participants = (task, update) -> {
                    // drops apply in round 1 only, so later rounds show the run going on
                    Drop d = task.round() == 1 ? drop : Drop.NONE;
                    float[] delta = update.parameters().copyFlat();
                    float[] g = task.global().flat();
                    for (int k = 0; k < delta.length; k++) {
                        delta[k] -= g[k];
                    }
                    return new Dropping(own.open(task, update), d, self, delta);
                };
                RecordingAuditLog audit = new RecordingAuditLog();
                audits.add(audit);
                self[0] = f.join(site, TestFederation.ACCEPT_ALL, audit, participants);
            }
            assertTrue(f.pool().awaitSites(n, Duration.ofSeconds(30)), n + " sites connect");
            Intake intake = new Intake(f.pool());
            EngineConfig cfg = EngineConfig.of(StoppingRule.rounds(rounds), 42).withRoundDeadline(Duration.ofSeconds(30));
            RunResult result = new RoundEngine(strategy(sum, 3), intake, cfg, null).run(initial(size));
            return new Run(result, sites, intake, audits);
        }
    }

    @ParameterizedTest(name = "{0} of 10 sites drop between key sharing and masked input")
    @ValueSource(ints = {0, 1, 3})
    void theUnmaskedSumIsThePlaintextSumOfTheSurvivorsWithinTheQuantizationError(int dropped) throws Exception {
        int n = 10;
        // SecAgg+ with 8 of the 9 others as neighbours and threshold 5: any 3 dropouts leave every secret rebuildable.
        SecureSumConfig sum = new SecureSumConfig(SecureSumConfig.Topology.SEC_AGG_PLUS, 32, CLIP,
                RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 8, 5);
        Drop[] ways = {Drop.REFUSE, Drop.DISCONNECT, Drop.SILENT};
        Map<Integer, Drop> drops = new java.util.HashMap<>();
        for (int k = 0; k < dropped; k++) {
            drops.put(2 + 3 * k, ways[k]);
        }
        int size = 300;
        Run run = run(n, size, sum, drops, 1);
        var round = run.result().rounds().getFirst();
        assertTrue(round.completed(), "round 1 completes: " + round.failures());
        List<RecordingSite> survivors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!drops.containsKey(i)) {
                survivors.add(run.sites().get(i));
            }
        }
        assertEquals(survivors.stream().map(RecordingSite::siteId).toList(), round.succeeded().stream().sorted().toList());
        double[] mean = new double[size];
        for (RecordingSite s : survivors) {
            float[] d = s.deltas.get(1);
            for (int i = 0; i < size; i++) {
                mean[i] += d[i] / (double) survivors.size();
            }
        }
        int k = survivors.size();
        double bound = new RingQuantizer(32, CLIP, n, RingQuantizer.Rounding.NEAREST).sumErrorBound(k) / k + 1e-6;
        float[] model = run.result().finalModel().flat();
        for (int i = 0; i < size; i++) {
            assertEquals(mean[i], model[i], bound, "value " + i);
        }
        assertTrue(Math.abs(model[0]) > 0.05, "the model moved");
        for (int i : drops.keySet()) {
            String site = run.sites().get(i).siteId();
            assertTrue(round.failures().stream().anyMatch(fl -> fl.siteId().equals(site)
                    && fl.reason().contains("MASKED_INPUT")), "dropped site " + site + " is recorded: " + round.failures());
        }
    }

    @Test
    void moreDropoutsThanTheThresholdFailTheRoundSafelyAndTheRunGoesOn() throws Exception {
        // Classic SecAgg among 5: each secret needs 3 of its 4 neighbours; 3 dropouts leave only 2.
        SecureSumConfig sum = new SecureSumConfig(SecureSumConfig.Topology.CLASSIC, 32, CLIP,
                RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 0, 0);
        Run run = run(5, 50, sum, Map.of(0, Drop.REFUSE, 2, Drop.REFUSE, 4, Drop.DISCONNECT), 2);
        var first = run.result().rounds().get(0);
        var second = run.result().rounds().get(1);
        assertFalse(first.completed(), "round 1 fails");
        assertTrue(first.failures().stream().anyMatch(fl -> fl.reason().contains("aborted, nothing was revealed")),
                first.failures().toString());
        assertTrue(second.completed(), "round 2 runs and completes: " + second.failures());
        // Nothing revealed: no site was asked to unmask in round 1.
        for (RecordingAuditLog audit : run.audits()) {
            assertTrue(audit.entries().stream().noneMatch(e -> e.round() == 1
                    && e.event() == AuditEntry.Event.EXCHANGE_ANSWERED && e.metricKeys().contains("unmask")),
                    "no unmask in round 1");
        }
        assertTrue(run.audits().get(1).entries().stream().anyMatch(e -> e.round() == 2
                && e.event() == AuditEntry.Event.EXCHANGE_ANSWERED && e.metricKeys().contains("unmask")),
                "unmask in round 2");
        // The model moved only in round 2: it is round 2's mean from the initial model (over the sites connected
        // then: the one whose network failed may still be redialling).
        List<RecordingSite> second2 = run.sites().stream().filter(x -> x.deltas.containsKey(2)).toList();
        assertEquals(second2.stream().map(RecordingSite::siteId).toList(), second.succeeded().stream().sorted().toList());
        double[] mean = new double[50];
        for (RecordingSite s : second2) {
            float[] d = s.deltas.get(2);
            for (int i = 0; i < 50; i++) {
                mean[i] += d[i] / (double) second2.size();
            }
        }
        float[] model = run.result().finalModel().flat();
        for (int i = 0; i < 50; i++) {
            assertEquals(mean[i], model[i], 1e-5, "value " + i);
        }
    }

    @Test
    void everyVectorTheServerReceivesIsMaskedAndTheControlWithAnUnmaskedOneFails() throws Exception {
        SecureSumConfig sum = new SecureSumConfig(SecureSumConfig.Topology.SEC_AGG_PLUS, 32, CLIP,
                RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 0, 0);
        int size = 20_000;
        Run honest = run(5, size, sum, Map.of(), 1);
        assertTrue(honest.result().rounds().getFirst().completed());
        assertEquals(5, honest.intake().masked.size());
        for (long[] v : honest.intake().masked) {
            assertEquals(size, v.length);
            double chi = topByteChiSquare(v);
            assertTrue(chi < UNIFORM_BOUND, "a masked vector is uniform on the ring: chi-square " + chi);
        }
        for (FitResult r : honest.intake().fits) {
            assertArrayEquals(initial(size).flat(), r.parameters().flat(), "a held fit carries no update");
        }
        // The control: one broken site sends its quantized update unmasked, and the same check flags it.
        Run leaky = run(5, size, sum, Map.of(1, Drop.UNMASKED), 1);
        long flagged = leaky.intake().masked.stream().filter(v -> topByteChiSquare(v) >= UNIFORM_BOUND).count();
        assertEquals(1, flagged, "exactly the unmasked vector fails the uniformity check");
    }

    @Test
    void answersLargerThanTheServersBufferAreTakenOneAtATimeAndNoneIsLost() throws Exception {
        // Each masked input is 4 * 50,000 bytes, twice the buffer: the server reads one site's answer at a time and
        // holds the other streams unread until it has folded it.
        SecureSumConfig sum = new SecureSumConfig(SecureSumConfig.Topology.CLASSIC, 32, CLIP,
                RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 0, 0);
        int size = 50_000;
        Run run = run(5, size, sum, Map.of(), 1, ServerSettings.defaults().withResultBufferBytes(100_000));
        var round = run.result().rounds().getFirst();
        assertTrue(round.completed(), round.failures().toString());
        assertEquals(5, round.succeeded().size());
        float[] model = run.result().finalModel().flat();
        for (int i = 0; i < size; i += 997) {
            double mean = 0;
            for (RecordingSite s : run.sites()) {
                mean += s.deltas.get(1)[i] / 5.0;
            }
            assertEquals(mean, model[i], 1e-5, "value " + i);
        }
    }

    @Test
    void aSiteOfAnOlderProtocolIsRefusedNamingBothVersions() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults());
             RawSite raw = new RawSite(f.channelFor("old"))) {
            raw.hello("old", ProtocolVersion.CURRENT - 1);
            ServerMessage m = raw.await(ServerMessage::hasRefusal, Duration.ofSeconds(10));
            assertEquals("site 'old' speaks protocol version 4 but this build speaks version 5 (older peers are"
                    + " refused: upgrade site 'old' so both speak the same version)", m.getRefusal().getReason());
        }
    }

    @Test
    void aServerOfAnotherVersionIsNamedWithBothVersions() {
        assertEquals("the server speaks protocol version 4 but this build speaks version 5 (older peers are refused:"
                + " upgrade the server so both speak the same version)",
                ProtocolVersion.mismatch("the server", 4).orElseThrow());
        assertTrue(ProtocolVersion.mismatch("the server", 5).isEmpty());
    }
}
