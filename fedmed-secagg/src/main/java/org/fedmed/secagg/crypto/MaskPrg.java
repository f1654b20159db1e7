package org.fedmed.secagg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom generator that expands a 32-byte seed into a mask: the AES-256-CTR keystream (zero
 * counter block; each seed keys one mask only) read as little-endian words, 4 bytes per element for rings of
 * up to 32 bits and 8 bytes above. Since 2^k divides 2^32 (or 2^64), each word reduced modulo 2^k is uniform
 * in Z_{2^k}. Masks are added to or subtracted from a long accumulator with wrap-around; the caller reduces
 * modulo 2^k once at the end, which gives the same result as reducing after every step.
 */
public final class MaskPrg {

    /** Seed length in bytes (an AES-256 key). */
    public static final int SEED_BYTES = 32;

    private static final int CHUNK_BYTES = 16 * 1024;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];

    private MaskPrg() {
    }

    /**
     * Adds PRG(seed) to {@code acc} element-wise, or subtracts it when {@code subtract}, modulo 2^64.
     *
     * @param ringBits the ring the mask lives in, which fixes how many keystream bytes make one element
     */
    public static void apply(long[] acc, byte[] seed, boolean subtract, int ringBits) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("mask seed must be " + SEED_BYTES + " bytes, got " + seed.length);
        }
        Cipher cipher = keystream(seed);
        int bytesPerElement = ringBits <= 32 ? 4 : 8;
        int perChunk = CHUNK_BYTES / bytesPerElement;
        byte[] block = new byte[CHUNK_BYTES];
        int n = acc.length;
        for (int start = 0; start < n; start += perChunk) {
            int count = Math.min(perChunk, n - start);
            fill(cipher, block, count * bytesPerElement);
            if (bytesPerElement == 4) {
                if (subtract) {
                    for (int j = 0; j < count; j++) {
                        acc[start + j] -= (int) INT_LE.get(block, j << 2);
                    }
                } else {
                    for (int j = 0; j < count; j++) {
                        acc[start + j] += (int) INT_LE.get(block, j << 2);
                    }
                }
            } else {
                if (subtract) {
                    for (int j = 0; j < count; j++) {
                        acc[start + j] -= (long) LONG_LE.get(block, j << 3);
                    }
                } else {
                    for (int j = 0; j < count; j++) {
                        acc[start + j] += (long) LONG_LE.get(block, j << 3);
                    }
                }
            }
        }
    }

    /** PRG(seed) as {@code length} ring elements in [0, 2^ringBits). */
    public static long[] expand(byte[] seed, int length, int ringBits) {
        long[] out = new long[length];
        apply(out, seed, false, ringBits);
        long mask = (1L << ringBits) - 1;
        for (int i = 0; i < length; i++) {
            out[i] &= mask;
        }
        return out;
    }

    private static Cipher keystream(byte[] seed) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot run AES-256-CTR: " + e.getMessage(), e);
        }
    }

    private static void fill(Cipher cipher, byte[] block, int length) {
        try {
            int written = cipher.update(ZEROS, 0, length, block, 0);
            if (written != length) {
                throw new IllegalStateException("AES-CTR produced " + written + " keystream bytes, expected " + length);
            }
        } catch (ShortBufferException e) {
            throw new IllegalStateException("AES-CTR keystream buffer too short", e);
        }
    }
}
