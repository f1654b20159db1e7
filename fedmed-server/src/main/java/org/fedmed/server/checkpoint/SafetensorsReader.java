package org.fedmed.server.checkpoint;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * Reads a safetensors file of float32 tensors into {@link ModelParameters}, validating it as it goes: the header
 * length is sane and within the file, the header is UTF-8 JSON with no duplicate keys, every tensor is F32 with a
 * shape whose element count matches its byte range, and the byte ranges are contiguous from 0 and cover the data
 * exactly to the end of the file. Tensors are ordered by their data offsets. Any violation is a
 * {@link SafetensorsFormatException} naming the file and the problem.
 */
public final class SafetensorsReader {

    /** The largest header accepted, as in the reference implementation: guards against a hostile length. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final int CHUNK_BYTES = 64 * 1024;

    private record Entry(String name, int[] shape, long begin, long end) {
    }

    private SafetensorsReader() {
    }

    /** Reads and validates {@code file}. */
    public static SafetensorsFile read(Path file) throws IOException {
        MessageDigest sha = SafetensorsWriter.sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new SafetensorsFormatException(file, "file is " + size
                        + " bytes, shorter than the 8-byte header length every safetensors file starts with");
            }
            ByteBuffer lenBuf = readExactly(file, ch, 8, sha).order(ByteOrder.LITTLE_ENDIAN);
            long n = lenBuf.getLong(0);
            if (n < 2 || n > MAX_HEADER_BYTES) {
                throw new SafetensorsFormatException(file, "header length " + Long.toUnsignedString(n)
                        + " is outside [2, " + MAX_HEADER_BYTES + "]");
            }
            if (n > size - 8) {
                throw new SafetensorsFormatException(file, "header length " + n + " exceeds the " + (size - 8)
                        + " bytes that follow it; the file is truncated");
            }
            ByteBuffer headerBytes = readExactly(file, ch, (int) n, sha);
            String header = decodeUtf8(file, headerBytes);
            if (!header.startsWith("{")) {
                throw new SafetensorsFormatException(file, "header must be a JSON object starting with '{'");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = parseHeader(file, header, metadata);
            long dataBytes = validateOffsets(file, entries);
            if (8 + n + dataBytes != size) {
                throw new SafetensorsFormatException(file, "header accounts for " + dataBytes
                        + " bytes of tensor data but the file holds " + (size - 8 - n) + " after the header");
            }
            float[] flat = new float[(int) (dataBytes / 4)];
            readFloats(file, ch, flat, sha);
            List<String> names = new ArrayList<>();
            List<int[]> shapes = new ArrayList<>();
            for (Entry e : entries) {
                names.add(e.name());
                shapes.add(e.shape());
            }
            ModelParameters params = ModelParameters.ofFlat(ParameterLayout.of(names, shapes), flat);
            return new SafetensorsFile(params, metadata, CheckpointRef.hex(sha.digest()));
        }
    }

    /** Reads {@code file} and checks that its bytes hash to {@code expectedSha256} (lowercase hex). */
    public static SafetensorsFile readVerified(Path file, String expectedSha256) throws IOException {
        SafetensorsFile f = read(file);
        if (!f.sha256().equals(expectedSha256)) {
            throw new ChecksumMismatchException(file, expectedSha256, f.sha256());
        }
        return f;
    }

    private static String decodeUtf8(Path file, ByteBuffer bytes) throws SafetensorsFormatException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsFormatException(file, "header is not valid UTF-8", e);
        }
    }

    private static List<Entry> parseHeader(Path file, String header, Map<String, String> metadata)
            throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, "header must be a JSON object");
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String name = field.getKey();
            JsonNode node = field.getValue();
            if (name.equals(SafetensorsWriter.METADATA_KEY)) {
                readMetadata(file, node, metadata);
            } else {
                entries.add(readEntry(file, name, node));
            }
        }
        return entries;
    }

    private static void readMetadata(Path file, JsonNode node, Map<String, String> out) throws SafetensorsFormatException {
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, "__metadata__ must be an object of strings");
        }
        for (Map.Entry<String, JsonNode> m : node.properties()) {
            if (!m.getValue().isTextual()) {
                throw new SafetensorsFormatException(file, "__metadata__ value of '" + m.getKey()
                        + "' must be a string, got " + m.getValue().getNodeType());
            }
            out.put(m.getKey(), m.getValue().asText());
        }
    }

    private static Entry readEntry(Path file, String name, JsonNode node) throws SafetensorsFormatException {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw new SafetensorsFormatException(file, where + " must be an object with dtype, shape and data_offsets");
        }
        JsonNode dtype = node.get("dtype");
        if (dtype == null || !dtype.isTextual()) {
            throw new SafetensorsFormatException(file, where + " has no dtype");
        }
        if (!dtype.asText().equals("F32")) {
            throw new SafetensorsFormatException(file, where + " has dtype " + dtype.asText()
                    + "; fedmed reads only F32 tensors");
        }
        JsonNode shapeNode = node.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new SafetensorsFormatException(file, where + " has no shape array");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                throw new SafetensorsFormatException(file, where + " has shape " + shapeNode
                        + "; dimensions must be integers in [0, 2^31)");
            }
            shape[i] = d.asInt();
        }
        JsonNode offsets = node.get("data_offsets");
        if (offsets == null || !offsets.isArray() || offsets.size() != 2
                || !offsets.get(0).isIntegralNumber() || !offsets.get(1).isIntegralNumber()
                || !offsets.get(0).canConvertToLong() || !offsets.get(1).canConvertToLong()
                || offsets.get(0).asLong() < 0 || offsets.get(1).asLong() < 0) {
            throw new SafetensorsFormatException(file, where + " has data_offsets " + offsets
                    + "; expected [begin, end] as two non-negative integers");
        }
        return new Entry(name, shape, offsets.get(0).asLong(), offsets.get(1).asLong());
    }

    /** Sorts entries by offset, checks that they tile [0, total) and match their shapes; returns the total. */
    private static long validateOffsets(Path file, List<Entry> entries) throws SafetensorsFormatException {
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        for (Entry e : entries) {
            String where = "tensor '" + e.name() + "'";
            if (e.begin() != expectedBegin) {
                throw new SafetensorsFormatException(file, where + " starts at byte " + e.begin() + " but the previous"
                        + " tensor ends at " + expectedBegin + "; data offsets must be contiguous, with no gap or overlap");
            }
            if (e.end() < e.begin()) {
                throw new SafetensorsFormatException(file, where + " ends at byte " + e.end()
                        + " before it begins at " + e.begin());
            }
            long elements = 1;
            for (int d : e.shape()) {
                elements = multiply(file, where, elements, d);
            }
            long bytes = multiply(file, where, elements, 4);
            if (bytes != e.end() - e.begin()) {
                throw new SafetensorsFormatException(file, where + " has shape " + Arrays.toString(e.shape())
                        + ", which needs " + bytes + " bytes of F32, but data_offsets span " + (e.end() - e.begin()));
            }
            expectedBegin = e.end();
        }
        if (expectedBegin / 4 > Integer.MAX_VALUE - 8) {
            throw new SafetensorsFormatException(file, "holds " + expectedBegin / 4
                    + " values; fedmed models are limited to 2^31 parameters");
        }
        return expectedBegin;
    }

    private static long multiply(Path file, String where, long a, long b) throws SafetensorsFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException overflow) {
            throw new SafetensorsFormatException(file, where + " has a shape whose size overflows 64 bits", overflow);
        }
    }

    private static ByteBuffer readExactly(Path file, FileChannel ch, int n, MessageDigest sha) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new SafetensorsFormatException(file, "file ended after " + buf.position() + " of " + n
                        + " bytes expected; it shrank while being read");
            }
        }
        buf.flip();
        sha.update(buf.duplicate());
        return buf;
    }

    private static void readFloats(Path file, FileChannel ch, float[] out, MessageDigest sha) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int filled = 0;
        while (filled < out.length) {
            int want = Math.min(CHUNK_BYTES / 4, out.length - filled) * 4;
            buf.clear().limit(want);
            while (buf.hasRemaining()) {
                if (ch.read(buf) < 0) {
                    throw new SafetensorsFormatException(file, "file ended inside the tensor data; it shrank while"
                            + " being read");
                }
            }
            buf.flip();
            sha.update(buf.duplicate());
            buf.asFloatBuffer().get(out, filled, want / 4);
            filled += want / 4;
        }
    }
}
