package org.fedmed.secagg.message;

import java.util.Arrays;

/**
 * Round 2, client to server: the client's input plus its self mask and its pairwise masks, in Z_{2^k}.
 * Alone it is indistinguishable from uniform. The array is taken, not copied, so that a large vector is not
 * copied on its way into the server's running sum: do not modify it after building the message.
 */
public record MaskedInput(int sender, long[] maskedVector) implements SecAggMessage {
    public MaskedInput {
        Ids.check(sender, "sender");
        if (maskedVector == null) {
            throw new IllegalArgumentException("client " + sender + " sent no masked vector");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskedInput m && sender == m.sender && Arrays.equals(maskedVector, m.maskedVector);
    }

    @Override
    public int hashCode() {
        return 31 * sender + Arrays.hashCode(maskedVector);
    }

    @Override
    public String toString() {
        return "MaskedInput[sender=" + sender + ", " + maskedVector.length + " elements]";
    }
}
