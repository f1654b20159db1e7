package org.fedmed.core.objective;

/**
 * Over which rows one term of an objective's training loss is defined. It decides what a trainer may assume: a
 * per-row loss is a mean of independent row terms (so DP-SGD can clip each row's gradient), a per-risk-set loss is
 * not (each row's term depends on the other rows of its batch or site).
 */
public enum LossFamily {
    /** The loss of a batch is the mean of one term per row (cross-entropy, squared or absolute error). */
    PER_ROW,
    /**
     * The loss of a batch is defined over its risk sets (a Cox partial likelihood): row i's term depends on every
     * row still at risk at i's time, within the batch or the site, never across sites.
     */
    PER_RISK_SET
}
