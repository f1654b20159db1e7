package org.fedmed.secagg.message;

import java.util.List;

/** Round 3, client to server: the shares the client agreed to reveal, at most one per neighbour. */
public record UnmaskResponse(int sender, List<RevealedShare> shares) implements SecAggMessage {
    public UnmaskResponse {
        Ids.check(sender, "sender");
        shares = List.copyOf(shares);
    }
}
