package org.fedmed.server.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.TreeMap;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * Writes {@link ModelParameters} as a safetensors file: an 8-byte little-endian header length N, N bytes of
 * compact UTF-8 JSON (the optional {@code __metadata__} map first, with keys sorted, then every tensor in layout
 * order as {@code {"dtype":"F32","shape":[...],"data_offsets":[begin,end]}}) padded with spaces to a multiple of
 * 8, then the tensors' float32 values, little-endian, back to back. The output is deterministic: the same
 * parameters and metadata give the same bytes. Files are written atomically (temporary file, fsync, rename).
 */
public final class SafetensorsWriter {

    /** The reserved header key of the free-form string map. */
    public static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CHUNK_FLOATS = 16 * 1024;

    private SafetensorsWriter() {
    }

    /**
     * Writes {@code parameters} with {@code metadata} to {@code file}, replacing it atomically, and returns the
     * SHA-256 of the bytes written as lowercase hex.
     */
    public static String write(Path file, ModelParameters parameters, Map<String, String> metadata) throws IOException {
        byte[] header = header(file, parameters, metadata);
        MessageDigest sha = sha256();
        AtomicFiles.write(file, ch -> {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).flip();
            writeFully(ch, len, sha);
            writeFully(ch, ByteBuffer.wrap(header), sha);
            writeFloats(ch, parameters.flat(), sha);
        });
        return CheckpointRef.hex(sha.digest());
    }

    /** The padded JSON header for these parameters, exactly as {@link #write} puts it after the length. */
    static byte[] header(Path file, ModelParameters parameters, Map<String, String> metadata) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
                if (e.getValue() == null) {
                    throw new IllegalArgumentException("safetensors file " + file + ": metadata key '" + e.getKey()
                            + "' has no value; safetensors metadata maps strings to strings");
                }
                meta.put(e.getKey(), e.getValue());
            }
        }
        for (ParameterLayout.Entry e : parameters.layout().entries()) {
            if (e.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("safetensors file " + file + ": a tensor may not be named '"
                        + METADATA_KEY + "', the key safetensors reserves for metadata");
            }
            ObjectNode t = root.putObject(e.name());
            t.put("dtype", "F32");
            ArrayNode shape = t.putArray("shape");
            for (int d : e.shape()) {
                shape.add(d);
            }
            ArrayNode offsets = t.putArray("data_offsets");
            offsets.add(4L * e.offset());
            offsets.add(4L * (e.offset() + e.size()));
        }
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        byte[] out = new byte[padded];
        System.arraycopy(json, 0, out, 0, json.length);
        for (int i = json.length; i < padded; i++) {
            out[i] = ' ';
        }
        return out;
    }

    private static void writeFloats(FileChannel ch, float[] values, MessageDigest sha) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, values.length - from);
            buf.clear();
            buf.asFloatBuffer().put(values, from, n);
            buf.limit(4 * n);
            writeFully(ch, buf, sha);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf, MessageDigest sha) throws IOException {
        sha.update(buf.duplicate());
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM offers no SHA-256, which every Java platform must provide", e);
        }
    }
}
