package org.fedmed.ml;

/**
 * How a model's parameters are drawn at initialization, per dense layer with fan_in inputs and fan_out outputs.
 * Every scheme is seeded: the same seed gives the same parameters. Weights are drawn in layout order ({@code [out,
 * in]} row-major, layer by layer); biases start at zero except under {@link #TORCH_LINEAR}.
 */
public enum InitScheme {
    /** He for layers followed by ReLU, Xavier for the output layer; biases zero. The default. */
    AUTO,
    /** He uniform: U(-a, a) with a = sqrt(6 / fan_in); biases zero. */
    HE,
    /** Xavier (Glorot) uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)); biases zero. */
    XAVIER,
    /**
     * PyTorch's default for {@code torch.nn.Linear} ({@code reset_parameters}): weights by
     * {@code kaiming_uniform_(a = sqrt(5))}, which is U(-1/sqrt(fan_in), 1/sqrt(fan_in)), and biases from the same
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)). Each layer draws its weights, then its biases. The distribution is
     * PyTorch's; the values are not, since the generators differ.
     */
    TORCH_LINEAR;

    /** The spelling used in spec files. */
    public String key() {
        return SpecKeys.key(this);
    }
}
