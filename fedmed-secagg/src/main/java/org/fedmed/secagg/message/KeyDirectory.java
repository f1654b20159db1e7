package org.fedmed.secagg.message;

import java.util.List;

/** Round 1, server to one client: the advertised keys of those of its neighbours that are still in the round. */
public record KeyDirectory(int recipient, List<KeyAdvertisement> neighbourKeys) implements SecAggMessage {
    public KeyDirectory {
        Ids.check(recipient, "recipient");
        neighbourKeys = List.copyOf(neighbourKeys);
    }
}
