package org.fedmed.ml;

/** How weights are drawn at initialization; biases always start at zero. All schemes are seeded. */
public enum InitScheme {
    /** He for layers followed by ReLU, Xavier for the output layer. */
    AUTO,
    /** He uniform: U(-a, a) with a = sqrt(6 / fan_in). */
    HE,
    /** Xavier (Glorot) uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)). */
    XAVIER;

    /** The spelling used in spec files. */
    public String key() {
        return SpecKeys.key(this);
    }
}
