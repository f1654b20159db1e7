package org.fedmed.core;

/**
 * What a site is asked to do when it trains in a round: its local work (E local epochs, or S mini-batch steps that
 * continue the site's data order from its previous fit) over mini-batches of B examples at learning rate lr, and
 * whether to send back full weights or the delta from the global model. The seed makes the site's shuffling and
 * dropout reproducible.
 */
public record FitConfig(LocalWork work, int batchSize, double learningRate, boolean sendDelta, long seed) {
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
    }

    /** A fit of {@code localEpochs} local epochs. */
    public FitConfig(int localEpochs, int batchSize, double learningRate, boolean sendDelta, long seed) {
        this(LocalWork.epochs(localEpochs), batchSize, learningRate, sendDelta, seed);
    }

    public FitConfig withSeed(long newSeed) {
        return new FitConfig(work, batchSize, learningRate, sendDelta, newSeed);
    }

    /** The same fit with other local work. */
    public FitConfig withWork(LocalWork newWork) {
        return new FitConfig(newWork, batchSize, learningRate, sendDelta, seed);
    }
}
