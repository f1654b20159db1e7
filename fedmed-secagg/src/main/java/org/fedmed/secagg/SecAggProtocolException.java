package org.fedmed.secagg;

/**
 * A party broke the protocol: a ciphertext failed authentication, a message came out of turn or named the
 * wrong parties, or the server asked a client for shares that would let it unmask that client's input.
 * The party that detects it refuses to go on and reveals nothing further.
 */
public final class SecAggProtocolException extends SecAggException {

    public SecAggProtocolException(String message, int client) {
        super(message, client);
    }

    public SecAggProtocolException(String message, int client, Throwable cause) {
        super(message, client, cause);
    }
}
