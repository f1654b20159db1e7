package org.fedmed.secagg.message;

import org.fedmed.secagg.SecAggParameters;

/**
 * Round 0, server to every client: opens a round. The session id binds every key derivation and ciphertext
 * to this round; the graph seed fixes the public neighbour graph before any key exists.
 */
public record SetupRequest(String sessionId, SecAggParameters parameters, long graphSeed) implements SecAggMessage {
    public SetupRequest {
        if (sessionId == null || sessionId.isBlank()) {
            throw new IllegalArgumentException("session_id must not be blank");
        }
        if (parameters == null) {
            throw new IllegalArgumentException("session '" + sessionId + "': parameters are required");
        }
    }
}
