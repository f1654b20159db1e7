package org.fedmed.secagg.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.UpdateRelease;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.OutcomeSink;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.exchange.ExchangeParticipant;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.SecureSumConfig;
import org.fedmed.secagg.message.KeyAdvertisement;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;

/** The coordinator's side of a secure sum through an in-process pool: the sum, a lying sender, a slow site. */
class ExchangedSecureSumTest {

    static final ModelParameters GLOBAL = ModelParameters.of(List.of(new Tensor("w", new int[]{3}, new float[3])));
    static final SecureSumConfig CLASSIC = new SecureSumConfig(SecureSumConfig.Topology.CLASSIC, 32, 1.0,
            RingQuantizer.Rounding.NEAREST, SecureSumConfig.Weighting.UNIFORM, 0, 0);

    /** A site whose delta is {@code value} in every coordinate. */
    record Fixed(String siteId, float value) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(GLOBAL.layout(),
                    new float[]{value, value, value}), true, 10, 1.0, Map.of());
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            throw new UnsupportedOperationException();
        }
    }

    /** Holds the sites' updates in {@code pool} and returns the cohort the coordinator knows. */
    static List<ExchangedSecureSum.Member> hold(InProcessSitePool pool, List<Fixed> sites) {
        List<ExchangedSecureSum.Member> cohort = new ArrayList<>();
        List<FitTask> tasks = sites.stream().map(s -> new FitTask(1, s.siteId(), GLOBAL,
                new FitConfig(1, 8, 0.1, true, 0)).withRelease(UpdateRelease.SECURE_SUM)).toList();
        pool.fit(tasks, Duration.ofSeconds(10), new OutcomeSink<>() {
            @Override
            public void success(FitResult r) {
                assertTrue(r.parameters() == GLOBAL, "a held result carries the global model only");
                cohort.add(new ExchangedSecureSum.Member(r.siteId(), r.taskId(), 1));
            }

            @Override
            public void failure(SiteFailure f) {
                throw new AssertionError(f.toString());
            }
        });
        return cohort;
    }

    static final List<Fixed> SITES = List.of(new Fixed("a", 0.1f), new Fixed("b", 0.2f), new Fixed("c", 0.3f),
            new Fixed("d", 0.4f));

    @Test
    void theCoordinatorGetsTheSumOfTheDeltas() {
        try (var pool = new InProcessSitePool(SITES, 2, new SecureSumParticipants(RandomnessSource.seededForSimulation(1)))) {
            var out = new ExchangedSecureSum(CLASSIC, Duration.ofSeconds(10)).sum(hold(pool, SITES), GLOBAL, pool, 1, 9);
            assertTrue(out.completed(), out.aborted());
            assertEquals(Map.of(), out.leftOut());
            assertEquals(1.0, out.sum().sum().flat()[0], 1e-6);
            assertEquals(4, out.sum().totalWeight());
        }
    }

    @Test
    void aSiteThatSignsAsAnotherClientIsLeftOutAndTheOthersAreSummed() {
        SecureSumParticipants own = new SecureSumParticipants(RandomnessSource.seededForSimulation(2));
        ExchangeParticipants lying = (task, update) -> {
            ExchangeParticipant inner = own.open(task, update);
            if (!task.siteId().equals("b")) {
                return inner;
            }
            return new ExchangeParticipant() {
                @Override
                public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
                    byte[] real = inner.answer(stage, body);
                    if (stage != ExchangeStage.ADVERTISE_KEYS) {
                        return real;
                    }
                    SecAggCodec codec = new SecAggCodec(32);
                    KeyAdvertisement k = codec.decode(real, KeyAdvertisement.class);
                    return codec.encode(new KeyAdvertisement(k.sender() + 1, k.encryptionKey(), k.maskingKey()));
                }

                @Override
                public boolean finished() {
                    return inner.finished();
                }
            };
        };
        try (var pool = new InProcessSitePool(SITES, 2, lying)) {
            var out = new ExchangedSecureSum(CLASSIC, Duration.ofSeconds(10)).sum(hold(pool, SITES), GLOBAL, pool, 1, 9);
            assertTrue(out.completed(), out.aborted());
            assertEquals(List.of("b"), List.copyOf(out.leftOut().keySet()));
            assertTrue(out.leftOut().get("b").contains("was given protocol id 2 but its message is signed as client 3"),
                    out.leftOut().get("b"));
            assertEquals(0.1 + 0.3 + 0.4, out.sum().sum().flat()[0], 1e-6);
        }
    }

    @Test
    void aSiteSilentPastTheStageDeadlineHasDroppedAtThatStage() {
        SecureSumParticipants own = new SecureSumParticipants(RandomnessSource.seededForSimulation(3));
        ExchangeParticipants slow = (task, update) -> {
            ExchangeParticipant inner = own.open(task, update);
            return !task.siteId().equals("d") ? inner : new ExchangeParticipant() {
                @Override
                public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
                    if (stage == ExchangeStage.MASKED_INPUT) {
                        try {
                            new java.util.concurrent.CountDownLatch(1).await(); // silent until cut
                        } catch (InterruptedException e) {
                            throw new ExchangeRefusedException("interrupted");
                        }
                    }
                    return inner.answer(stage, body);
                }

                @Override
                public boolean finished() {
                    return inner.finished();
                }
            };
        };
        try (var pool = new InProcessSitePool(SITES, 4, slow)) {
            // The deadline holds for every stage and every site: long enough for the others on a loaded machine.
            var out = new ExchangedSecureSum(CLASSIC, Duration.ofSeconds(5)).sum(hold(pool, SITES), GLOBAL, pool, 1, 9);
            assertTrue(out.completed(), out.aborted());
            assertEquals(List.of("d"), List.copyOf(out.leftOut().keySet()), out.leftOut().toString());
            assertTrue(out.leftOut().get("d").startsWith("dropped at stage MASKED_INPUT (TIMEOUT)"), out.leftOut().toString());
            assertEquals(0.1 + 0.2 + 0.3, out.sum().sum().flat()[0], 1e-6);
        }
    }

    @Test
    void tooManyDropoutsAbortWithNothingOutput() {
        SecureSumParticipants own = new SecureSumParticipants(RandomnessSource.seededForSimulation(4));
        ExchangeParticipants leaving = (task, update) -> {
            ExchangeParticipant inner = own.open(task, update);
            return task.siteId().equals("a") ? inner : new ExchangeParticipant() {
                @Override
                public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
                    if (stage == ExchangeStage.MASKED_INPUT) {
                        throw new ExchangeRefusedException("left");
                    }
                    return inner.answer(stage, body);
                }

                @Override
                public boolean finished() {
                    return inner.finished();
                }
            };
        };
        try (var pool = new InProcessSitePool(SITES, 2, leaving)) {
            var out = new ExchangedSecureSum(CLASSIC, Duration.ofSeconds(10)).sum(hold(pool, SITES), GLOBAL, pool, 1, 9);
            assertFalse(out.completed());
            assertNull(out.sum());
            assertTrue(out.aborted().startsWith("secure aggregation of round 1 aborted, nothing was revealed"),
                    out.aborted());
            assertEquals(4, out.leftOut().size());
        }
    }

    /** The in-process participants with site "d" refusing its masked input; every stage a site answers is noted. */
    private static ExchangeParticipants dLeavesBeforeItsMaskedInput(long seed, List<ExchangeStage> answered) {
        SecureSumParticipants own = new SecureSumParticipants(RandomnessSource.seededForSimulation(seed));
        return (task, update) -> {
            ExchangeParticipant inner = own.open(task, update);
            return new ExchangeParticipant() {
                @Override
                public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
                    if (stage == ExchangeStage.MASKED_INPUT && task.siteId().equals("d")) {
                        throw new ExchangeRefusedException("left");
                    }
                    synchronized (answered) {
                        answered.add(stage);
                    }
                    return inner.answer(stage, body);
                }

                @Override
                public boolean finished() {
                    return inner.finished();
                }
            };
        };
    }

    @Test
    void fewerMaskedInputsThanTheMinimumAbortBeforeAnyShareIsAskedFor() {
        List<ExchangeStage> answered = new ArrayList<>();
        try (var pool = new InProcessSitePool(SITES, 2, dLeavesBeforeItsMaskedInput(5, answered))) {
            var out = new ExchangedSecureSum(CLASSIC, Duration.ofSeconds(10), 4)
                    .sum(hold(pool, SITES), GLOBAL, pool, 1, 9);
            assertFalse(out.completed());
            assertNull(out.sum());
            assertTrue(out.aborted().contains("only 3 of 4 clients that shared keys submitted a masked input, fewer"
                    + " than the 4 a sum is unmasked with"), out.aborted());
            assertFalse(answered.contains(ExchangeStage.UNMASK), "no site was asked for a share: " + answered);
            assertEquals(3, answered.stream().filter(s -> s == ExchangeStage.MASKED_INPUT).count());
        }
        // control: the same dropout with a minimum of 3 unmasks the survivors' sum
        List<ExchangeStage> control = new ArrayList<>();
        try (var pool = new InProcessSitePool(SITES, 2, dLeavesBeforeItsMaskedInput(5, control))) {
            var out = new ExchangedSecureSum(CLASSIC, Duration.ofSeconds(10), 3)
                    .sum(hold(pool, SITES), GLOBAL, pool, 1, 9);
            assertTrue(out.completed(), out.aborted());
            assertEquals(0.1 + 0.2 + 0.3, out.sum().sum().flat()[0], 1e-6);
            assertEquals(3, control.stream().filter(s -> s == ExchangeStage.UNMASK).count());
        }
    }
}
