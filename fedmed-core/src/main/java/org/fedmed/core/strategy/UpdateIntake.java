package org.fedmed.core.strategy;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.TaskId;

/**
 * The one place a site's update is checked before it may touch an aggregate, built per round from the round's
 * global model, the round number and an optional bound on the update's norm. An update is admitted when it
 * answers a fit task of this round (its {@link TaskId}), has the global model's layout, comes from a site that
 * has not yet had an update admitted this round, has only finite values, and, with a bound, its delta from the
 * global model has L2 norm (summed in double precision, see {@link Scan}) at most the bound. Every aggregator
 * admits through it, and the server's transport checks values and the norm while a payload is still arriving
 * through the same {@link Scan}, so a simulation and a deployment refuse the same updates with the same words.
 *
 * <p>Each failure has one wording, naming what was expected and what came: the {@link UpdateRejectedException}
 * names the site, its {@link UpdateRejectedException#reason() reason} is the text below.
 * <ul>
 *   <li>task: {@code task id 'r2-fit-a' does not answer a fit task of round 1 (expected 'r1-fit-a')}</li>
 *   <li>layout: {@code parameter layout [w[3]] does not match the global model's [w[2, 2], b[2]]}</li>
 *   <li>duplicate: {@code the site already sent an update in round 1}</li>
 *   <li>finiteness: {@code value NaN in tensor 'b' (flat index 5) is not finite}, and for an auxiliary vector
 *       {@code value NaN of auxiliary vector 'scaffold.delta_c' in tensor 'b' (flat index 1) is not finite}</li>
 *   <li>norm: {@code L2 norm of the update's delta from the global model exceeds the bound 50.0 (it reached
 *       51.2 after 6 of 6 values)}</li>
 * </ul>
 *
 * <p>An accumulator that reads each update once admits it with {@link #admitForFold}, which checks everything
 * but finiteness without reading the values (unless a norm bound is set: the bound needs one read, which then
 * checks finiteness too); it checks finiteness while it folds and, on a non-finite value, calls
 * {@link #refuseNonFinite}. Not thread-safe: one round's aggregator owns it.
 */
public final class UpdateIntake {

    private final ModelParameters global;
    private final int round;
    private final double maxUpdateNorm;
    private final Set<String> sites = new HashSet<>();

    /** An intake without a norm bound. */
    public UpdateIntake(ModelParameters global, int round) {
        this(global, round, Double.POSITIVE_INFINITY);
    }

    /**
     * @param global        the model the round started from
     * @param round         the round updates must answer, &gt;= 1
     * @param maxUpdateNorm the largest L2 norm an update's delta may have; positive, infinite for no bound
     */
    public UpdateIntake(ModelParameters global, int round, double maxUpdateNorm) {
        this.global = Objects.requireNonNull(global, "the round's global model");
        if (round < 1) {
            throw new IllegalArgumentException("round must be >= 1, got " + round);
        }
        if (!(maxUpdateNorm > 0)) {
            throw new IllegalArgumentException("max_update_norm must be positive (or infinite to turn it off), got "
                    + maxUpdateNorm);
        }
        this.round = round;
        this.maxUpdateNorm = maxUpdateNorm;
    }

    /** The intake of a round: its global model, its number and the norm bound of its {@link InfluenceLimits}. */
    public static UpdateIntake of(RoundContext context) {
        return new UpdateIntake(context.global(), context.round(), context.influence().maxUpdateNorm());
    }

    public ModelParameters global() {
        return global;
    }

    public int round() {
        return round;
    }

    /** The bound on an update's delta norm; infinite when there is none. */
    public double maxUpdateNorm() {
        return maxUpdateNorm;
    }

    /** Whether a site already had an update admitted this round. */
    public boolean admitted(String siteId) {
        return sites.contains(siteId);
    }

    /**
     * Checks every property of the update, reading its values once, and records its site.
     *
     * @throws UpdateRejectedException naming the site and the first failed check; nothing is recorded then
     */
    public void admit(FitResult update) throws UpdateRejectedException {
        checkHeader(update);
        if (Double.isInfinite(maxUpdateNorm)) {
            int bad = update.parameters().firstNonFinite();
            if (bad >= 0) {
                throw new UpdateRejectedException(update.siteId(), nonFinite(global, update.parameters().flat()[bad], bad));
            }
        } else {
            scan(update.siteId(), update.isDelta()).check(update.parameters().flat(), 0, global.size());
        }
        checkAuxiliary(update);
        sites.add(update.siteId());
    }

    /**
     * As {@link #admit}, but without the finiteness check of the parameters unless a norm bound is set (auxiliary
     * vectors, which the caller does not fold, are checked here): the caller checks
     * finiteness while it folds the values in and, on finding a non-finite one, undoes its fold and throws
     * {@link #refuseNonFinite}. Records the site.
     */
    public void admitForFold(FitResult update) throws UpdateRejectedException {
        checkHeader(update);
        if (!Double.isInfinite(maxUpdateNorm)) {
            scan(update.siteId(), update.isDelta()).check(update.parameters().flat(), 0, global.size());
        }
        checkAuxiliary(update);
        sites.add(update.siteId());
    }

    /**
     * The refusal of an admitted update found to hold a non-finite value; its site is no longer recorded. Call it
     * only for an update whose values are not all finite.
     */
    public UpdateRejectedException refuseNonFinite(FitResult update) {
        int bad = update.parameters().firstNonFinite();
        if (bad < 0) {
            throw new IllegalStateException("update from site '" + update.siteId() + "' has only finite values");
        }
        sites.remove(update.siteId());
        return new UpdateRejectedException(update.siteId(), nonFinite(global, update.parameters().flat()[bad], bad));
    }

    /** Forgets an admitted update that its aggregator refused for a reason of its own (a bad weight). */
    public void withdraw(FitResult update) {
        sites.remove(update.siteId());
    }

    private void checkHeader(FitResult update) throws UpdateRejectedException {
        if (update.siteId() == null || update.siteId().isBlank()) {
            throw new UpdateRejectedException(update.siteId(), "the update names no site (expected a site id)");
        }
        TaskId expected = TaskId.fit(round, update.siteId());
        String problem = taskMismatch(update.taskId(), expected);
        if (problem == null) {
            problem = layoutMismatch(update.parameters().layout(), global.layout());
        }
        if (problem == null && sites.contains(update.siteId())) {
            problem = "the site already sent an update in round " + round;
        }
        if (problem != null) {
            throw new UpdateRejectedException(update.siteId(), problem);
        }
    }

    /**
     * Checks the values of one update as they arrive, slice by slice: each value finite and the running L2 norm of
     * the delta from the global model within the intake's bound, so a bad update is refused at its first bad
     * slice. The words are the intake's.
     *
     * @param delta whether the values are a delta (else full weights, whose delta is taken from the global model)
     */
    public Scan scan(String siteId, boolean delta) {
        return new Scan(siteId, delta);
    }

    /**
     * One update's values checked slice by slice; see {@link #scan}. Without a norm bound a slice is only checked
     * for finiteness. With one, the squared delta of flat index {@code i} is summed, in double precision, into
     * partial sum {@code i mod 4}, and the norm is the square root of {@code (s0 + s1) + (s2 + s3)}: four
     * independent sums run faster than one chain of additions, and because the lanes follow the flat index, the
     * norm is the same bit for bit however the update is cut into slices (a whole vector in simulation, chunk by
     * chunk over the wire).
     */
    public final class Scan {
        private final String siteId;
        private final boolean delta;
        private final double[] lanes = new double[4];

        private Scan(String siteId, boolean delta) {
            this.siteId = siteId;
            this.delta = delta;
        }

        /**
         * Checks {@code v[from..to)}, the next slice of the update's flat parameter values ({@code to} at most the
         * model's size).
         *
         * @throws UpdateRejectedException at the first non-finite value, or when the norm so far exceeds the bound
         */
        public void check(float[] v, int from, int to) throws UpdateRejectedException {
            if (Double.isInfinite(maxUpdateNorm)) {
                refuseFirstNonFinite(v, from, to);
                return;
            }
            float[] g = global.flat();
            int i = from;
            for (; i < to && (i & 3) != 0; i++) {
                lanes[i & 3] += square(v, g, i);
            }
            double s0 = lanes[0];
            double s1 = lanes[1];
            double s2 = lanes[2];
            double s3 = lanes[3];
            for (; i + 3 < to; i += 4) {
                s0 += square(v, g, i);
                s1 += square(v, g, i + 1);
                s2 += square(v, g, i + 2);
                s3 += square(v, g, i + 3);
            }
            lanes[0] = s0;
            lanes[1] = s1;
            lanes[2] = s2;
            lanes[3] = s3;
            for (; i < to; i++) {
                lanes[i & 3] += square(v, g, i);
            }
            double s = (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            if (!Double.isFinite(s)) {
                // a non-finite value makes its square, and so the sum, non-finite; find the first one to name it
                refuseFirstNonFinite(v, from, to);
            }
            if (Math.sqrt(s) > maxUpdateNorm) {
                throw new UpdateRejectedException(siteId, "L2 norm of the update's delta from the global model exceeds "
                        + "the bound " + maxUpdateNorm + " (it reached " + (float) Math.sqrt(s) + " after " + to + " of "
                        + global.size() + " values)");
            }
        }

        /** Throws the intake's refusal for the first non-finite value of {@code v[from..to)}, if there is one. */
        private void refuseFirstNonFinite(float[] v, int from, int to) throws UpdateRejectedException {
            for (int i = from; i < to; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new UpdateRejectedException(siteId, nonFinite(global, v[i], i));
                }
            }
        }

        private double square(float[] v, float[] g, int i) {
            double d = delta ? v[i] : (double) v[i] - g[i];
            return d * d;
        }
    }

    /** Every auxiliary vector ({@code scaffold.delta_c}) finite; they have the parameters' layout already. */
    private static void checkAuxiliary(FitResult update) throws UpdateRejectedException {
        for (var aux : update.auxiliary().entrySet()) {
            int bad = aux.getValue().firstNonFinite();
            if (bad >= 0) {
                throw new UpdateRejectedException(update.siteId(),
                        nonFiniteAuxiliary(aux.getKey(), aux.getValue(), aux.getValue().flat()[bad], bad));
            }
        }
    }

    /** The wording of a task id that does not answer the expected task, or null when it does. */
    public static String taskMismatch(String taskId, TaskId expected) {
        TaskId actual;
        try {
            actual = TaskId.parse(taskId);
        } catch (IllegalArgumentException e) {
            actual = null;
        }
        if (actual != null && actual.round() == expected.round() && actual.kind() == expected.kind()) {
            return null;
        }
        return "task id '" + taskId + "' does not answer a " + expected.kind().word() + " task of round "
                + expected.round() + " (expected '" + expected + "')";
    }

    /** The wording of a layout other than the global model's, or null when they are the same. */
    public static String layoutMismatch(ParameterLayout actual, ParameterLayout expected) {
        return actual.equals(expected) ? null
                : "parameter layout " + actual.entries() + " does not match the global model's " + expected.entries();
    }

    /** The wording of a non-finite value at flat index {@code index} of an update to {@code global}. */
    public static String nonFinite(ModelParameters global, float value, int index) {
        return "value " + value + " in tensor '" + global.tensorAt(index) + "' (flat index " + index + ") is not finite";
    }

    /**
     * The wording of a non-finite value at flat index {@code index} of the auxiliary vector {@code name} of an update
     * to a model with {@code layoutOf}'s layout.
     */
    public static String nonFiniteAuxiliary(String name, ModelParameters layoutOf, float value, int index) {
        return "value " + value + " of auxiliary vector '" + name + "' in tensor '" + layoutOf.tensorAt(index)
                + "' (flat index " + index + ") is not finite";
    }

    /**
     * The checks that need no round: the global model's layout and finite values, auxiliary vectors' included. For filters, which are shared
     * between rounds; an aggregator admits through an instance.
     */
    public static void checkValues(FitResult update, ModelParameters global) throws UpdateRejectedException {
        String problem = layoutMismatch(update.parameters().layout(), global.layout());
        if (problem != null) {
            throw new UpdateRejectedException(update.siteId(), problem);
        }
        int bad = update.parameters().firstNonFinite();
        if (bad >= 0) {
            throw new UpdateRejectedException(update.siteId(), nonFinite(global, update.parameters().flat()[bad], bad));
        }
        checkAuxiliary(update);
    }
}
