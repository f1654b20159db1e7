package org.fedmed.server.run;

/** What a resume does when the checkpoint of the last recorded round is missing or corrupt. */
public enum FallbackPolicy {
    /** Refuse to resume, naming the file and what is wrong with it. The default: nothing stored is changed. */
    FAIL,
    /**
     * Resume from the latest earlier round whose checkpoint is intact, discarding the recorded rounds after it
     * (the discard is written to the audit log). Must be asked for explicitly.
     */
    PREVIOUS_GOOD_ROUND
}
