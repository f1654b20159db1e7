package org.fedmed.ml.nn;

import org.fedmed.ml.Model;

/** Per-thread buffers of a {@link DenseNetwork}: layer outputs, their gradients and dropout masks, row-major. */
final class DenseWorkspace implements Model.Workspace {

    final int[] dims;
    final int maxBatch;
    /** act[l]: output of layer l (after ReLU and dropout for hidden layers; logits for the last). */
    final float[][] act;
    /** delta[l]: gradient of the batch loss with respect to layer l's pre-activation. */
    final float[][] delta;
    /** gate[l]: d(output)/d(pre-activation) per hidden unit: 0, or the dropout scale (1 without dropout). */
    final float[][] gate;
    /** wt[l]: layer l's weights transposed to [in, out], for layers computed in transposed form. */
    final float[][] wt;
    /** gwt[l]: layer l's weight gradient accumulated in [in, out] form, for layers computed in transposed form. */
    final float[][] gwt;

    DenseWorkspace(int[] dims, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("workspace batch size must be >= 1, got " + maxBatch);
        }
        this.dims = dims;
        this.maxBatch = maxBatch;
        int layers = dims.length - 1;
        act = new float[layers][];
        delta = new float[layers][];
        gate = new float[layers][];
        wt = new float[layers][];
        gwt = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int size = Math.multiplyExact(maxBatch, dims[l + 1]);
            act[l] = new float[size];
            delta[l] = new float[size];
            gate[l] = l < layers - 1 ? new float[size] : new float[0];
            int weights = DenseNetwork.transposed(dims[l + 1]) ? dims[l] * dims[l + 1] : 0;
            wt[l] = new float[weights];
            gwt[l] = new float[weights];
        }
    }

    @Override
    public int maxBatch() {
        return maxBatch;
    }
}
