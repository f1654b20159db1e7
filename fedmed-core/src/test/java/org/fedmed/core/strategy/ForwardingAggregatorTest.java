package org.fedmed.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.TaskId;
import org.fedmed.core.Tensor;
import org.fedmed.core.filter.FilteredAggregator;
import org.junit.jupiter.api.Test;

class ForwardingAggregatorTest {

    private static final ModelParameters GLOBAL = ModelParameters.of(List.of(new Tensor("w", new int[]{2},
            new float[]{1, 2})));

    /** An inner aggregator that answers each method with a value of its own and records what it was given. */
    private static final class Answering implements Aggregator {
        static final List<UpdateRejectedException> LATE = List.of(new UpdateRejectedException("b", "late"));
        static final List<UpdateRejectedException> CLOSED = List.of(new UpdateRejectedException("c", "closed"));
        static final List<WeightCaps.Capped> CAPS = List.of(new WeightCaps.Capped("a", 9, 3, 0.5));
        static final FoldRule RULE = new FoldRule(SiteWeighting.SAMPLE_COUNT, 0.5, false);
        static final ModelParameters RESULT = ModelParameters.of(List.of(new Tensor("w", new int[]{2},
                new float[]{5, 6})));

        final List<Object> given = new ArrayList<>();

        @Override
        public void accept(FitResult update) {
            given.add(update);
        }

        @Override
        public int accepted() {
            return 7;
        }

        @Override
        public List<UpdateRejectedException> close() {
            return CLOSED;
        }

        @Override
        public List<UpdateRejectedException> refusedLate() {
            return LATE;
        }

        @Override
        public Set<String> unsettled() {
            return Set.of("held");
        }

        @Override
        public ModelParameters result() {
            return RESULT;
        }

        @Override
        public List<WeightCaps.Capped> weightCaps() {
            return CAPS;
        }

        @Override
        public Optional<FoldRule> foldRule() {
            return Optional.of(RULE);
        }

        @Override
        public void acceptFolded(LinearFold partial) {
            given.add(partial);
        }
    }

    @Test
    void everyMethodOfTheAggregatorInterfaceIsForwarded() {
        for (Method m : Aggregator.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            try {
                ForwardingAggregator.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                fail("ForwardingAggregator does not forward Aggregator." + m.getName());
            }
        }
    }

    @Test
    void aDecoratorThatOverridesNothingAnswersAsItsInnerAggregator() throws Exception {
        Answering inner = new Answering();
        Aggregator plain = new ForwardingAggregator(inner) { };
        FitResult update = new FitResult("a", TaskId.fit(1, "a").toString(), GLOBAL, false, 10, 1.0, Map.of());
        LinearFold fold = new LinearFold(2, 1.0);

        plain.accept(update);
        plain.acceptFolded(fold);

        assertEquals(List.of(update, fold), inner.given);
        assertEquals(7, plain.accepted());
        assertSame(Answering.CLOSED, plain.close());
        assertSame(Answering.LATE, plain.refusedLate());
        assertEquals(Set.of("held"), plain.unsettled());
        assertSame(Answering.RESULT, plain.result());
        assertSame(Answering.CAPS, plain.weightCaps());
        assertEquals(Optional.of(Answering.RULE), plain.foldRule());
    }

    @Test
    void aDecoratorWithoutItsInnerAggregatorIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ForwardingAggregator(null) { });
        assertEquals("a decorated aggregator needs the aggregator it wraps", e.getMessage());
    }

    @Test
    void theServerStepKeepsTheInnerFoldRuleWhileFiltersTakeNoFold() {
        Answering inner = new Answering();
        SteppedAggregator stepped = new SteppedAggregator(inner, ServerOptimizerSettings.sgd(1.0).newOptimizer(),
                GLOBAL);
        assertEquals(Optional.of(Answering.RULE), stepped.foldRule());
        assertEquals(7, stepped.accepted());

        FilteredAggregator filtered = new FilteredAggregator(inner, GLOBAL, 1, List.of(), List.of());
        assertTrue(filtered.foldRule().isEmpty(), "filters must see each update");
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> filtered.acceptFolded(new LinearFold(2, 1.0)));
        assertEquals("FilteredAggregator must see every update; it takes no fold", e.getMessage());
        assertEquals(List.of(), inner.given, "nothing reached the inner aggregator");
        assertSame(Answering.LATE, filtered.refusedLate());
    }
}
