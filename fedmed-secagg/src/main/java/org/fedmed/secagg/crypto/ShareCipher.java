package org.fedmed.secagg.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a 96-bit nonce and a 128-bit tag, used to carry one client's Shamir shares to one neighbour
 * through a server that must not read them. The associated data binds each ciphertext to its session, sender,
 * recipient and round, so a server cannot redirect or replay it undetected.
 */
public final class ShareCipher {

    /** Key length in bytes (AES-256). */
    public static final int KEY_BYTES = 32;
    /** Nonce length in bytes. */
    public static final int NONCE_BYTES = 12;
    /** Authentication tag length in bytes. */
    public static final int TAG_BYTES = 16;

    private ShareCipher() {
    }

    /** Encrypts and authenticates {@code plaintext}; the result is the ciphertext followed by the tag. */
    public static byte[] seal(byte[] key, byte[] nonce, byte[] associatedData, byte[] plaintext) {
        try {
            Cipher cipher = init(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    /**
     * Checks and decrypts a sealed message.
     *
     * @throws AEADBadTagException if the ciphertext, nonce, associated data or key do not match
     */
    public static byte[] open(byte[] key, byte[] nonce, byte[] associatedData, byte[] ciphertext)
            throws AEADBadTagException {
        try {
            Cipher cipher = init(Cipher.DECRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData);
            return cipher.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: " + e.getMessage(), e);
        }
    }

    private static Cipher init(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        if (key.length != KEY_BYTES || nonce.length != NONCE_BYTES) {
            throw new IllegalArgumentException("AES-GCM needs a " + KEY_BYTES + "-byte key and a " + NONCE_BYTES
                    + "-byte nonce, got " + key.length + " and " + nonce.length);
        }
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BYTES * 8, nonce));
        return cipher;
    }
}
