package org.fedmed.transport;

/**
 * Size limits on the wire, shared by the server and its sites. Parameters travel in chunks of at most
 * {@code chunkBytes}; no gRPC message may exceed {@code maxMessageBytes} (both ends set it as their max inbound
 * message size); and no model payload may exceed {@code maxModelBytes}, which is checked from the declared size
 * before anything is buffered.
 *
 * @param chunkBytes      bytes of float32 data per chunk, a positive multiple of 4
 * @param maxMessageBytes the largest gRPC message either end accepts; at least chunk size plus {@value #HEADROOM}
 * @param maxModelBytes   the largest model payload (4 bytes per parameter) either end sends or accepts
 */
public record WireLimits(int chunkBytes, int maxMessageBytes, long maxModelBytes) {

    /** Room left in a message for a chunk's other fields, and for headers with metric maps. */
    public static final int HEADROOM = 64 << 10;

    public WireLimits {
        if (chunkBytes < 4 || chunkBytes % 4 != 0) {
            throw new IllegalArgumentException("chunk_bytes must be a positive multiple of 4, got " + chunkBytes);
        }
        if ((long) maxMessageBytes < (long) chunkBytes + HEADROOM) {
            throw new IllegalArgumentException("max_message_bytes must be at least chunk_bytes + " + HEADROOM + " = "
                    + ((long) chunkBytes + HEADROOM) + ", got " + maxMessageBytes);
        }
        if (maxModelBytes < 0) {
            throw new IllegalArgumentException("max_model_bytes must be >= 0, got " + maxModelBytes);
        }
    }

    /** 1 MiB chunks, 4 MiB messages, models up to 1 GiB (268 million parameters). */
    public static WireLimits defaults() {
        return new WireLimits(1 << 20, 4 << 20, 1L << 30);
    }

    public WireLimits withMaxModelBytes(long bytes) {
        return new WireLimits(chunkBytes, maxMessageBytes, bytes);
    }

    public WireLimits withChunkBytes(int bytes) {
        return new WireLimits(bytes, Math.max(maxMessageBytes, bytes + HEADROOM), maxModelBytes);
    }
}
