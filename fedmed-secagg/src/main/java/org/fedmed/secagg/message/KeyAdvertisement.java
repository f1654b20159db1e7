package org.fedmed.secagg.message;

import java.util.Arrays;

import org.fedmed.secagg.crypto.X25519;

/**
 * Round 0, client to server (and relayed to the client's neighbours): the client's two X25519 public keys,
 * one to agree share-encryption keys (c) and one to agree pairwise masks (s).
 */
public record KeyAdvertisement(int sender, byte[] encryptionKey, byte[] maskingKey) implements SecAggMessage {
    public KeyAdvertisement {
        Ids.check(sender, "sender");
        encryptionKey = Ids.copyOfLength(encryptionKey, X25519.KEY_BYTES, "client " + sender + " encryption key");
        maskingKey = Ids.copyOfLength(maskingKey, X25519.KEY_BYTES, "client " + sender + " masking key");
    }

    @Override
    public byte[] encryptionKey() {
        return encryptionKey.clone();
    }

    @Override
    public byte[] maskingKey() {
        return maskingKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyAdvertisement k && sender == k.sender && Arrays.equals(encryptionKey, k.encryptionKey)
                && Arrays.equals(maskingKey, k.maskingKey);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * sender + Arrays.hashCode(encryptionKey)) + Arrays.hashCode(maskingKey);
    }

    @Override
    public String toString() {
        return "KeyAdvertisement[sender=" + sender + "]";
    }
}
