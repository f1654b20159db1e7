package org.fedmed.ml;

/** The model families a spec can ask for. Both are built from dense layers; a spec cannot carry code. */
public enum ModelType {
    /** No hidden layers: logistic regression, softmax regression or linear regression, by output head. */
    LOGISTIC,
    /** Dense hidden layers with ReLU and optional inverted dropout, then the same output heads. */
    MLP;

    /** The spelling used in spec files. */
    public String key() {
        return SpecKeys.key(this);
    }
}
