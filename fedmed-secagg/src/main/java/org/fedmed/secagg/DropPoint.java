package org.fedmed.secagg;

/** Where in the protocol a simulated client stops answering. */
public enum DropPoint {
    /** Never advertises keys: it is not part of the round at all. */
    BEFORE_ADVERTISING,
    /** Advertises keys, then sends no shares: nobody masks with it. */
    BEFORE_SHARING,
    /**
     * Sends its shares, then no masked input: its input is left out, and the server removes the masks its
     * neighbours added for it by rebuilding its mask key from their shares.
     */
    BEFORE_MASKED_INPUT,
    /**
     * Submits its masked input, then does not answer the unmask request: its input stays in the sum, and the
     * server removes its self mask by rebuilding its seed from its neighbours' shares.
     */
    BEFORE_UNMASKING
}
