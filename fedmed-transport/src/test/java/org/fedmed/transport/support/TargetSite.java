package org.fedmed.transport.support;

import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.SiteClient;

/**
 * A deterministic test site: each fit pulls the model halfway towards the site's target, plus noise seeded by the
 * task's seed; its evaluation loss is the distance left. Knobs make it misbehave in one chosen round.
 */
public class TargetSite implements SiteClient {

    /** How the site misbehaves in {@link #badRound}. */
    public enum Misbehaviour { NONE, NAN, WRONG_SHAPE, HUGE, THROW, BLOCK, SLEEP }

    private final String id;
    private final float target;
    private final long examples;
    public volatile Misbehaviour misbehaviour = Misbehaviour.NONE;
    public volatile int badRound = -1;
    public volatile long sleepMillis;
    public final CountDownLatch training = new CountDownLatch(1);

    public TargetSite(String id, float target, long examples) {
        this.id = id;
        this.target = target;
        this.examples = examples;
    }

    @Override
    public String siteId() {
        return id;
    }

    @Override
    public FitResult fit(FitTask t) throws Exception {
        boolean bad = t.round() == badRound;
        if (bad) {
            switch (misbehaviour) {
                case THROW -> throw new IllegalStateException("disk full at site " + id);
                case BLOCK -> {
                    training.countDown();
                    Thread.sleep(Long.MAX_VALUE);
                }
                case SLEEP -> Thread.sleep(sleepMillis);
                default -> {
                }
            }
        }
        float[] w = t.global().copyFlat();
        Random r = new Random(t.config().seed());
        for (int i = 0; i < w.length; i++) {
            w[i] += 0.5f * (target - w[i]) + 0.01f * (float) r.nextGaussian();
        }
        ParameterLayout layout = t.global().layout();
        if (bad) {
            switch (misbehaviour) {
                case NAN -> w[w.length - 1] = Float.NaN;
                case HUGE -> {
                    for (int i = 0; i < w.length; i++) {
                        w[i] += 1000;
                    }
                }
                case WRONG_SHAPE -> {
                    float[] longer = java.util.Arrays.copyOf(w, w.length + 1);
                    return new FitResult(id, t.taskId(), ModelParameters.ofFlat(
                            ParameterLayout.of(java.util.List.of("w"), java.util.List.of(new int[]{longer.length})), longer),
                            false, examples, 1.0, Map.of("loss", 1.0));
                }
                default -> {
                }
            }
        }
        return new FitResult(id, t.taskId(), ModelParameters.ofFlat(layout, w), false, examples, 1.0,
                Map.of("loss", (double) Math.abs(w[0] - target)));
    }

    @Override
    public EvalResult evaluate(EvalTask t) {
        double d = Math.abs(t.global().flat()[0] - target);
        return new EvalResult(id, t.taskId(), examples, Map.of("log_loss", d));
    }
}
