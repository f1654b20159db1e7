package org.fedmed.secagg.message;

import java.util.List;

/** Round 1, client to server: the client's encrypted shares, one per neighbour in its key directory. */
public record ShareBundle(int sender, List<EncryptedShare> shares) implements SecAggMessage {
    public ShareBundle {
        Ids.check(sender, "sender");
        shares = List.copyOf(shares);
        for (EncryptedShare s : shares) {
            if (s.sender() != sender) {
                throw new IllegalArgumentException("share bundle of client " + sender + " holds a share sent by client "
                        + s.sender());
            }
        }
    }
}
