package org.fedmed.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a site is asked to do when it trains in a round: its local work (E local epochs, or S mini-batch steps that
 * continue the site's data order from its previous fit) over mini-batches of B examples at learning rate lr, and
 * whether to send back full weights or the delta from the global model. The seed makes the site's shuffling and
 * dropout reproducible. {@code terms} are the {@link LocalTerm}s the site adds to its local objective (FedProx's
 * proximal term, ...), at most one of each kind, in the order given; none is plain local training (FedAvg), and the
 * constructors without terms give that.
 */
public record FitConfig(LocalWork work, int batchSize, double learningRate, boolean sendDelta, long seed,
                        List<LocalTerm> terms) implements java.io.Serializable {
    public FitConfig {
        if (work == null) {
            throw new IllegalArgumentException("a fit needs local_epochs or local_steps");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("lr must be a positive finite number, got " + learningRate);
        }
        if (terms == null) {
            throw new IllegalArgumentException("a fit's local terms must be a list (empty for none), got null");
        }
        Set<Class<?>> kinds = new HashSet<>();
        for (LocalTerm t : terms) {
            if (t == null) {
                throw new IllegalArgumentException("a fit's local terms must not hold null, got " + terms);
            }
            if (!kinds.add(t.getClass())) {
                throw new IllegalArgumentException("a fit takes at most one local term '" + t.name() + "', got "
                        + terms.stream().map(LocalTerm::describe).toList());
            }
        }
        terms = List.copyOf(terms);
    }

    /** A fit of {@code work} with no local term. */
    public FitConfig(LocalWork work, int batchSize, double learningRate, boolean sendDelta, long seed) {
        this(work, batchSize, learningRate, sendDelta, seed, List.of());
    }

    /** A fit of {@code localEpochs} local epochs with no local term. */
    public FitConfig(int localEpochs, int batchSize, double learningRate, boolean sendDelta, long seed) {
        this(LocalWork.epochs(localEpochs), batchSize, learningRate, sendDelta, seed, List.of());
    }

    public FitConfig withSeed(long newSeed) {
        return new FitConfig(work, batchSize, learningRate, sendDelta, newSeed, terms);
    }

    /** The same fit with other local work. */
    public FitConfig withWork(LocalWork newWork) {
        return new FitConfig(newWork, batchSize, learningRate, sendDelta, seed, terms);
    }

    /** The same fit with {@code newTerms} in place of its local terms (empty: plain local training). */
    public FitConfig withTerms(List<LocalTerm> newTerms) {
        return new FitConfig(work, batchSize, learningRate, sendDelta, seed, newTerms);
    }
}
