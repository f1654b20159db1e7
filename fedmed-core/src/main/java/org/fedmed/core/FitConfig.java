package org.fedmed.core;

/**
 * What a site is asked to do when it trains in a round: E local epochs over mini-batches of B examples at
 * learning rate lr, and whether to send back full weights or the delta from the global model. The seed
 * makes the site's shuffling and dropout reproducible.
 */
public record FitConfig(int localEpochs, int batchSize, double learningRate, boolean sendDelta, long seed) {
    public FitConfig {
        if (localEpochs < 1) {
            throw new IllegalArgumentException("local_epochs must be >= 1, got " + localEpochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be >= 1, got " + batchSize);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("lr must be a positive finite number, got " + learningRate);
        }
    }

    public FitConfig withSeed(long newSeed) {
        return new FitConfig(localEpochs, batchSize, learningRate, sendDelta, newSeed);
    }
}
