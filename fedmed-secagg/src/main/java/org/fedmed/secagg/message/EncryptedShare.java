package org.fedmed.secagg.message;

import java.util.Arrays;

import org.fedmed.secagg.crypto.ShareCipher;

/**
 * One client's Shamir shares (of its mask key and of its self-mask seed) for one neighbour, sealed with
 * AES-GCM under a key only the two of them can derive. The server relays it but cannot read it.
 */
public record EncryptedShare(int sender, int recipient, byte[] nonce, byte[] ciphertext) {
    public EncryptedShare {
        Ids.check(sender, "sender");
        Ids.check(recipient, "recipient");
        if (sender == recipient) {
            throw new IllegalArgumentException("client " + sender + " addressed an encrypted share to itself");
        }
        nonce = Ids.copyOfLength(nonce, ShareCipher.NONCE_BYTES, "nonce of share " + sender + "->" + recipient);
        if (ciphertext == null || ciphertext.length < ShareCipher.TAG_BYTES) {
            throw new IllegalArgumentException("ciphertext of share " + sender + "->" + recipient
                    + " is shorter than an authentication tag");
        }
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedShare e && sender == e.sender && recipient == e.recipient
                && Arrays.equals(nonce, e.nonce) && Arrays.equals(ciphertext, e.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * sender + recipient) + Arrays.hashCode(nonce)) + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "EncryptedShare[" + sender + "->" + recipient + ", " + ciphertext.length + " bytes]";
    }
}
