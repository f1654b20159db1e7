package org.fedmed.secagg.message;

/** Which of a client's two secrets a revealed share belongs to. */
public enum ShareKind {
    /** A share of the seed of the client's self mask b_u: revealed only when the client submitted its input. */
    SELF_MASK_SEED,
    /** A share of the client's masking private key s_u: revealed only when the client dropped before submitting. */
    MASK_KEY
}
