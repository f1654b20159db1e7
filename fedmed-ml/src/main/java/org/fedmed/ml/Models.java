package org.fedmed.ml;

import org.fedmed.ml.nn.DenseNetwork;

/** Builds the {@link Model} a {@link ModelSpec} describes. The only way from a spec to something that trains. */
public final class Models {

    private Models() {
    }

    /**
     * The model for {@code spec} with {@code inputDim} features and {@code classes} classes (0 = regression).
     *
     * @throws IllegalArgumentException if the dimensions are invalid or the spec's loss does not fit the task
     */
    public static Model build(ModelSpec spec, int inputDim, int classes) {
        return new DenseNetwork(spec, inputDim, classes);
    }
}
