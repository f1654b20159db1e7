package org.fedmed.ml.optim;

/**
 * Updates a flat parameter vector in place from a flat gradient of the same length. An optimizer holds the
 * state for one parameter vector (its length is fixed at construction) and is not thread-safe. Steps do not
 * allocate, and the same sequence of gradients always gives bit-identical parameters.
 */
public interface Optimizer {

    /** Applies one update with learning rate {@code lr} to {@code params} using {@code grad}. */
    void step(float[] params, float[] grad, double lr);
}
