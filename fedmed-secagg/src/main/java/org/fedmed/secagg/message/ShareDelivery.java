package org.fedmed.secagg.message;

import java.util.List;

/**
 * Round 2, server to one client: the encrypted shares its neighbours addressed to it. The senders are the
 * neighbours the client masks with.
 */
public record ShareDelivery(int recipient, List<EncryptedShare> shares) implements SecAggMessage {
    public ShareDelivery {
        Ids.check(recipient, "recipient");
        shares = List.copyOf(shares);
        for (EncryptedShare s : shares) {
            if (s.recipient() != recipient) {
                throw new IllegalArgumentException("share delivery for client " + recipient
                        + " holds a share addressed to client " + s.recipient());
            }
        }
    }
}
