package org.fedmed.core.strategy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fedmed.core.FitResult;
import org.fedmed.core.ModelParameters;

/**
 * The base of every aggregator that decorates another (filters around it, the server optimizer's step after it):
 * each method of {@link Aggregator} goes to the inner aggregator unless a subclass overrides it, so a method added to
 * the interface later is forwarded too instead of silently taking its default. A subclass overrides only what it
 * changes; one that must see each update overrides {@link #foldRule()} and {@link #acceptFolded} to take no fold.
 */
public abstract class ForwardingAggregator implements Aggregator {

    private final Aggregator inner;

    protected ForwardingAggregator(Aggregator inner) {
        if (inner == null) {
            throw new IllegalArgumentException("a decorated aggregator needs the aggregator it wraps");
        }
        this.inner = inner;
    }

    /** The aggregator this one wraps. */
    protected final Aggregator inner() {
        return inner;
    }

    @Override
    public void accept(FitResult update) throws UpdateRejectedException {
        inner.accept(update);
    }

    @Override
    public int accepted() {
        return inner.accepted();
    }

    @Override
    public List<UpdateRejectedException> close() {
        return inner.close();
    }

    @Override
    public List<UpdateRejectedException> refusedLate() {
        return inner.refusedLate();
    }

    @Override
    public Set<String> unsettled() {
        return inner.unsettled();
    }

    @Override
    public ModelParameters result() {
        return inner.result();
    }

    @Override
    public List<WeightCaps.Capped> weightCaps() {
        return inner.weightCaps();
    }

    @Override
    public Optional<FoldRule> foldRule() {
        return inner.foldRule();
    }

    @Override
    public void acceptFolded(LinearFold partial) {
        inner.acceptFolded(partial);
    }
}
