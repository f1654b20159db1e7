package org.fedmed.secagg.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.stream.IntStream;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pseudorandom generator that expands a 32-byte seed into a mask: the AES-256-CTR keystream (zero
 * counter block; each seed keys one mask only) read as little-endian words, 4 bytes per element for rings of
 * up to 32 bits and 8 bytes above. Since 2^k divides 2^32 (or 2^64), each word reduced modulo 2^k is uniform
 * in Z_{2^k}. Masks are added to or subtracted from a long accumulator with wrap-around; the caller reduces
 * modulo 2^k once at the end, which gives the same result as reducing after every step. Any range of a mask can
 * be generated on its own (the counter block is the range's keystream offset), so many masks are applied to a long
 * vector in parallel over disjoint ranges ({@link #applyAll}), with the same result as one after the other.
 */
public final class MaskPrg {

    /** Seed length in bytes (an AES-256 key). */
    public static final int SEED_BYTES = 32;

    /** Keystream bytes generated per mask and chunk: small enough that a chunk of the sum stays in L1 cache. */
    private static final int CHUNK_BYTES = 4 * 1024;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];

    private MaskPrg() {
    }

    /** One mask to apply: PRG(seed), added or, when {@code subtract}, subtracted. */
    public record Mask(byte[] seed, boolean subtract) {
        public Mask {
            checkSeed(seed);
        }
    }

    /**
     * Adds PRG(seed) to {@code acc} element-wise, or subtracts it when {@code subtract}, modulo 2^64.
     *
     * @param ringBits the ring the mask lives in, which fixes how many keystream bytes make one element
     */
    public static void apply(long[] acc, byte[] seed, boolean subtract, int ringBits) {
        checkSeed(seed);
        apply(acc, 0, acc.length, seed, subtract, ringBits);
    }

    /**
     * Applies every mask of {@code masks} to {@code acc}, as {@link #apply} one after the other would, over disjoint
     * ranges of {@code acc} in parallel (the common fork-join pool): each range generates its part of every mask.
     */
    public static void applyAll(long[] acc, List<Mask> masks, int ringBits) {
        int bytesPerElement = ringBits <= 32 ? 4 : 8;
        int align = 16 / bytesPerElement;
        int parts = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors() * 2,
                acc.length / (16 * CHUNK_BYTES / bytesPerElement)));
        int size = ((acc.length + parts - 1) / parts + align - 1) / align * align;
        IntStream.range(0, parts).parallel().forEach(part -> {
            int from = Math.min(acc.length, part * size);
            applyRange(acc, from, Math.min(acc.length, from + size), masks, ringBits);
        });
    }

    /**
     * Applies every mask of {@code masks} to {@code acc} on the calling thread, with the same result as {@link #apply}
     * one after the other: chunk by chunk, every mask's part of a chunk before the next chunk, so that each chunk of
     * {@code acc} is read and written while it is in cache rather than once per mask.
     */
    public static void applyInTurn(long[] acc, List<Mask> masks, int ringBits) {
        applyRange(acc, 0, acc.length, masks, ringBits);
    }

    /** Every mask over elements [from, to) of {@code acc}, chunk-major; {@code from} is at a keystream block. */
    private static void applyRange(long[] acc, int from, int to, List<Mask> masks, int ringBits) {
        if (from >= to) {
            return;
        }
        int bytesPerElement = ringBits <= 32 ? 4 : 8;
        long offset = (long) from * bytesPerElement;
        if (offset % 16 != 0) {
            throw new IllegalArgumentException("a mask range must start at a 16-byte keystream block, got element "
                    + from);
        }
        Cipher[] ciphers = new Cipher[masks.size()];
        for (int m = 0; m < ciphers.length; m++) {
            ciphers[m] = keystream(masks.get(m).seed(), offset / 16);
        }
        int perChunk = CHUNK_BYTES / bytesPerElement;
        byte[] block = new byte[CHUNK_BYTES];
        for (int start = from; start < to; start += perChunk) {
            int count = Math.min(perChunk, to - start);
            for (int m = 0; m < ciphers.length; m++) {
                fill(ciphers[m], block, count * bytesPerElement);
                add(acc, start, block, count, bytesPerElement, masks.get(m).subtract());
            }
        }
    }

    /** PRG(seed) over elements [from, to) of {@code acc}; {@code from} is at a keystream block boundary. */
    private static void apply(long[] acc, int from, int to, byte[] seed, boolean subtract, int ringBits) {
        applyRange(acc, from, to, List.of(new Mask(seed, subtract)), ringBits);
    }

    /** Adds (or subtracts) the {@code count} little-endian words of {@code block} to acc[start..start+count). */
    private static void add(long[] acc, int start, byte[] block, int count, int bytesPerElement, boolean subtract) {
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

    private static void checkSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("mask seed must be " + SEED_BYTES + " bytes, got "
                    + (seed == null ? "none" : seed.length));
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

    /** The AES-256-CTR keystream of {@code seed} from its block {@code firstBlock} on (a 128-bit big-endian counter). */
    private static Cipher keystream(byte[] seed, long firstBlock) {
        byte[] counter = new byte[16];
        for (int i = 0; i < 8; i++) {
            counter[15 - i] = (byte) (firstBlock >>> (8 * i));
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(counter));
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
