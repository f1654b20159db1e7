package org.fedmed.secagg;

import java.nio.charset.StandardCharsets;
import org.fedmed.secagg.crypto.Hkdf;
import org.fedmed.secagg.crypto.MaskPrg;
import org.fedmed.secagg.crypto.ShareCipher;
import org.fedmed.secagg.crypto.X25519;

/**
 * The labels and derivations both sides of the protocol must agree on byte for byte: the HKDF salt (the
 * session), the per-direction share-encryption keys, the associated data of share ciphertexts, and the
 * pairwise mask seeds. Every label names the protocol version, so keys from different uses never collide.
 */
final class KeyDerivation {

    private static final String VERSION = "fedmed-secagg/v1";

    private KeyDerivation() {
    }

    static byte[] salt(String sessionId) {
        return bytes(VERSION + "|session=" + sessionId);
    }

    /** The AES-GCM key for shares sent from {@code from} to {@code to}, from X25519(c_from, c_to). */
    static byte[] shareKey(byte[] sharedSecret, String sessionId, int from, int to) {
        return Hkdf.sha256(sharedSecret, salt(sessionId), bytes(VERSION + "|share-key|from=" + from + "|to=" + to),
                ShareCipher.KEY_BYTES);
    }

    /** Associated data binding a share ciphertext to its session, sender, recipient and round. */
    static byte[] shareAssociatedData(String sessionId, int from, int to) {
        return bytes(VERSION + "|session=" + sessionId + "|round=share-keys|from=" + from + "|to=" + to);
    }

    /**
     * s_uv: the seed of the mask clients u and v share, HKDF of X25519(s_u, s_v), from u's raw private scalar s_u.
     * The label orders the pair, so both ends (and a server that rebuilt one end's key) derive the same seed.
     */
    static byte[] pairwiseSeed(byte[] maskingScalar, byte[] otherMaskingKey, String sessionId, int u, int v) {
        byte[] shared = X25519.agree(maskingScalar, otherMaskingKey);
        return Hkdf.sha256(shared, salt(sessionId),
                bytes(VERSION + "|pairwise-mask|" + Math.min(u, v) + "|" + Math.max(u, v)), MaskPrg.SEED_BYTES);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
