package org.fedmed.core.strategy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;

/**
 * SCAFFOLD (Karimireddy et al. 2020, "SCAFFOLD: Stochastic Controlled Averaging for Federated Learning", Algorithm 1
 * with option II): FedAvg's sampling, local training and weighted mean, with a server control variate c that corrects
 * every site's local steps for the drift of its data from the federation's. The server holds the global model x and
 * c; each sampled site i trains from y = x with gradient {@code g(y) - c_i + c} ({@link LocalTerm.ControlVariates}),
 * keeps its own c_i, and returns {@code Delta y = y - x} with {@code Delta c = c_i+ - c_i}. The server then sets
 * <pre>
 *   x &lt;- x + eta_g * mean_S(Delta y)          (the wrapped strategy's weighting and server step)
 *   c &lt;- c + (1 / N) * sum_S(Delta c)          (= c + |S|/N * uniform mean_S(Delta c))
 * </pre>
 * where S is the round's sites whose update was folded in and N the federation's size given here.
 *
 * <p>Conventions, and where they follow FLamby ({@code flamby/strategies/scaffold.py}): the mean of Delta y is the
 * wrapped strategy's, weighted by sample count for {@code scaffold} as FLamby weighs it (the paper's uniform mean is
 * the {@code uniform} weighting); its server step is SGD at {@code server_lr} (eta_g, default 1). The mean of Delta c
 * is always uniform, as in the paper, so c stays the mean of the sites' c_i when every site takes part. K is the
 * number of optimizer steps the site's fit actually took: {@code local_steps} S gives K = S (FLamby's
 * {@code num_updates}), and E {@code local_epochs} give K = E * ceil(n_i / B). FLamby writes the update for full
 * participation only; with partial participation this is the paper's rule. c starts at zero.
 *
 * <p>c is the strategy's {@linkplain #state() state} ({@value #STATE_C}, beside the server optimizer's), so a run
 * restored from a checkpoint continues bit for bit, provided its sites kept their c_i. c changes only when a round's
 * aggregate is taken, so a round that fails to complete leaves it as it was. An update without a finite
 * {@value LocalTerm.ControlVariates#CONTROL_DELTA} of the model's layout is refused and leaves both folds untouched;
 * Delta c is summed in double precision and c rounded once per round, so equal updates in the same order give
 * bit-identical c. Memory is O(P): one double accumulator beside the wrapped strategy's.
 */
public final class Scaffold extends ForwardingStrategy {

    /** The strategy-state name of the server control variate c. */
    public static final String STATE_C = "scaffold.c";

    private final int population;
    private float[] control;

    /**
     * @param inner      the FedAvg-family strategy that samples sites, folds Delta y and takes the server step
     * @param population N, the number of sites in the federation, >= 1
     */
    public Scaffold(Strategy inner, int population) {
        super(inner);
        if (population < 1) {
            throw new IllegalArgumentException("SCAFFOLD needs the federation's size N >= 1, got " + population);
        }
        this.population = population;
    }

    /** The server control variate c as it stands, a copy: {@code size} zeros before the first round. */
    public float[] control(int size) {
        return control == null ? new float[size] : control.clone();
    }

    private float[] controlOf(int size) {
        if (control == null) {
            control = new float[size];
        }
        if (control.length != size) {
            throw new IllegalArgumentException("SCAFFOLD's control variate '" + STATE_C + "' holds " + control.length
                    + " values but the model has " + size);
        }
        return control;
    }

    /** The wrapped strategy's fit tasks, each with the control-variate term and c as {@code scaffold.c}. */
    @Override
    public List<FitTask> configureFit(RoundContext context) {
        ModelParameters c = ModelParameters.ofFlat(context.global().layout(),
                controlOf(context.global().size()).clone());
        List<FitTask> tasks = new ArrayList<>();
        for (FitTask t : inner().configureFit(context)) {
            List<LocalTerm> terms = new ArrayList<>(t.config().terms());
            terms.add(new LocalTerm.ControlVariates());
            Map<String, ModelParameters> aux = new LinkedHashMap<>(t.auxiliary());
            aux.put(LocalTerm.ControlVariates.SERVER_CONTROL, c);
            tasks.add(new FitTask(t.round(), t.siteId(), t.global(), t.config().withTerms(terms), aux));
        }
        return tasks;
    }

    @Override
    public Aggregator newAggregator(RoundContext context) {
        return new ControlledAggregator(inner().newAggregator(context), context);
    }

    /** c under {@value #STATE_C}, with the wrapped strategy's state. */
    @Override
    public StrategyState state() {
        StrategyState own = control == null ? StrategyState.EMPTY
                : new StrategyState(Map.of(STATE_C, control), Map.of());
        return inner().state().merge(own);
    }

    @Override
    public void restore(StrategyState state) {
        Map<String, float[]> rest = new LinkedHashMap<>(state.vectors());
        float[] saved = rest.remove(STATE_C);
        inner().restore(new StrategyState(rest, state.values()));
        control = saved;
    }

    /**
     * Folds Delta y through the wrapped aggregator and Delta c into a double sum, both or neither per update: an
     * update's Delta c is held until the wrapped aggregator has checked its Delta y (at most the few updates it
     * holds unread, see {@link Aggregator#unsettled()}), and dropped if that one was refused late.
     */
    private final class ControlledAggregator implements Aggregator {

        private final Aggregator deltaY;
        private final RoundContext context;
        private final double[] sumDeltaC;
        private final Map<String, float[]> held = new LinkedHashMap<>();
        private int folded;
        private boolean closed;

        ControlledAggregator(Aggregator deltaY, RoundContext context) {
            this.deltaY = deltaY;
            this.context = context;
            this.sumDeltaC = new double[context.global().size()];
        }

        /**
         * Refuses an update without a finite Delta c before the wrapped aggregator sees it; that one makes the
         * intake's other checks (round, layout, finite parameters) and folds Delta y, and only once it has is
         * Delta c summed, so a refused update leaves both folds untouched.
         */
        @Override
        public void accept(FitResult update) throws UpdateRejectedException {
            ModelParameters dc = update.auxiliary().get(LocalTerm.ControlVariates.CONTROL_DELTA);
            if (dc == null) {
                throw new UpdateRejectedException(update.siteId(), "a SCAFFOLD update must carry its control"
                        + " variate's change '" + LocalTerm.ControlVariates.CONTROL_DELTA + "'; it carries "
                        + update.auxiliary().keySet());
            }
            int bad = dc.firstNonFinite();
            if (bad >= 0) {
                throw new UpdateRejectedException(update.siteId(), UpdateIntake.nonFiniteAuxiliary(
                        LocalTerm.ControlVariates.CONTROL_DELTA, dc, dc.flat()[bad], bad));
            }
            try {
                deltaY.accept(update);
                held.put(update.siteId(), dc.flat());
            } finally {
                settle(deltaY.unsettled());
            }
        }

        /** Sums the held Delta c of every site the wrapped aggregator has settled; drops those it refused. */
        private void settle(java.util.Set<String> unsettled) {
            if (held.isEmpty()) {
                return;
            }
            java.util.Set<String> refused = new java.util.HashSet<>();
            for (UpdateRejectedException e : deltaY.refusedLate()) {
                refused.add(e.siteId());
            }
            var it = held.entrySet().iterator();
            while (it.hasNext()) {
                var e = it.next();
                if (unsettled.contains(e.getKey())) {
                    continue;
                }
                it.remove();
                if (refused.contains(e.getKey())) {
                    continue;
                }
                float[] d = e.getValue();
                for (int i = 0; i < d.length; i++) {
                    sumDeltaC[i] += d[i];
                }
                folded++;
            }
        }

        @Override
        public List<UpdateRejectedException> close() {
            List<UpdateRejectedException> late = deltaY.close();
            settle(java.util.Set.of());
            closed = true;
            return late;
        }

        @Override
        public List<UpdateRejectedException> refusedLate() {
            return deltaY.refusedLate();
        }

        @Override
        public java.util.Set<String> unsettled() {
            return deltaY.unsettled();
        }

        @Override
        public int accepted() {
            return deltaY.accepted();
        }

        @Override
        public ModelParameters result() {
            if (!closed && !close().isEmpty()) {
                throw new IllegalStateException("SCAFFOLD updates were refused late: " + deltaY.refusedLate()
                        + "; call close() to collect such refusals before result()");
            }
            ModelParameters next = deltaY.result();
            if (folded > population) {
                throw new IllegalStateException("SCAFFOLD folded " + folded + " updates in round " + context.round()
                        + " but the federation has N = " + population + " sites");
            }
            float[] c = controlOf(sumDeltaC.length);
            double share = 1.0 / population;
            for (int i = 0; i < c.length; i++) {
                c[i] = (float) (c[i] + share * sumDeltaC[i]);
            }
            return next;
        }

        @Override
        public List<WeightCaps.Capped> weightCaps() {
            return deltaY.weightCaps();
        }
    }
}
