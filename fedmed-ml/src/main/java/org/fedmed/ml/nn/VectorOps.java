package org.fedmed.ml.nn;

/** The inner loops of dense layers on float arrays with offsets: plain indexed loops the JIT unrolls and vectorizes. */
final class VectorOps {

    private VectorOps() {
    }

    /** Sum of a[ao + i] * b[bo + i] for i in [0, n), with four independent accumulators in a fixed order. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[ao + i] * b[bo + i];
            s1 += a[ao + i + 1] * b[bo + i + 1];
            s2 += a[ao + i + 2] * b[bo + i + 2];
            s3 += a[ao + i + 3] * b[bo + i + 3];
        }
        for (; i < n; i++) {
            s0 += a[ao + i] * b[bo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** y[yo + i] += alpha * x[xo + i] for i in [0, n). */
    static void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += alpha * x[xo + i];
        }
    }

    /** dst[c * rows + r] = src[off + r * cols + c]: a [rows, cols] block transposed to [cols, rows]. */
    static void transpose(float[] src, int off, int rows, int cols, float[] dst) {
        for (int r = 0; r < rows; r++) {
            int s = off + r * cols;
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[s + c];
            }
        }
    }
}
