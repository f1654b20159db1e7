package org.fedmed.server.checkpoint;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsFormatTest {

    @TempDir
    Path dir;

    /** Little-endian u64, as the spec's first 8 bytes. */
    static byte[] u64le(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** The spec's layout: length, header padded with spaces to a multiple of 8, then the data bytes. */
    static byte[] file(String headerJson, byte[] data) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(u64le(padded));
        out.writeBytes(json);
        for (int i = json.length; i < padded; i++) {
            out.write(' ');
        }
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void singleTensorIsWrittenInTheExactByteLayoutOfTheSpec() throws Exception {
        ModelParameters p = ModelParameters.of(List.of(new Tensor("w", new int[]{2}, new float[]{1.0f, -2.5f})));
        Path f = dir.resolve("one.safetensors");
        String sha = SafetensorsWriter.write(f, p, Map.of());

        // 54 bytes of JSON, padded with two spaces to 56; 1.0f = 0x3F800000 and -2.5f = 0xC0200000, little-endian.
        String json = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        assertEquals(54, json.length());
        byte[] expected = file(json, bytes(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC0));
        byte[] actual = Files.readAllBytes(f);
        assertArrayEquals(bytes(56, 0, 0, 0, 0, 0, 0, 0), java.util.Arrays.copyOf(actual, 8));
        assertEquals(' ', actual[8 + 54]);
        assertEquals(' ', actual[8 + 55]);
        assertArrayEquals(expected, actual);
        assertEquals(sha256(actual), sha);
    }

    @Test
    void multipleTensorsAndMetadataAreWrittenInLayoutOrderWithSortedMetadata() throws Exception {
        ModelParameters p = ModelParameters.of(List.of(
                new Tensor("layer.weight", new int[]{2, 2}, new float[]{1.0f, 0.5f, -2.5f, 3.0f}),
                new Tensor("layer.bias", new int[]{2}, new float[]{0.0f, -0.0f}),
                new Tensor("scale", new int[]{}, new float[]{2.0f})));
        Path f = dir.resolve("multi.safetensors");
        SafetensorsWriter.write(f, p, Map.of("b", "second", "a", "first"));

        String json = "{\"__metadata__\":{\"a\":\"first\",\"b\":\"second\"},"
                + "\"layer.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"layer.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[16,24]},"
                + "\"scale\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[24,28]}}";
        byte[] data = bytes(
                0x00, 0x00, 0x80, 0x3F, /* 1.0 */ 0x00, 0x00, 0x00, 0x3F, /* 0.5 */
                0x00, 0x00, 0x20, 0xC0, /* -2.5 */ 0x00, 0x00, 0x40, 0x40, /* 3.0 */
                0x00, 0x00, 0x00, 0x00, /* 0.0 */ 0x00, 0x00, 0x00, 0x80, /* -0.0 */
                0x00, 0x00, 0x00, 0x40 /* 2.0 */);
        byte[] actual = Files.readAllBytes(f);
        assertArrayEquals(file(json, data), actual);
        assertEquals(0, (actual.length - data.length) % 8, "tensor data starts 8-byte aligned");
    }

    @Test
    void handBuiltFileIsReadInOffsetOrderWhateverTheOrderOfHeaderKeys() throws Exception {
        String json = "{\"scale\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[12,16]},"
                + "\"__metadata__\":{\"format\":\"pt\",\"note\":\"h\u00e9llo\"},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[8,12]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"empty\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[16,16]}}";
        byte[] content = file(json, bytes(0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x3F,
                0x00, 0x00, 0x20, 0xC0, 0x00, 0x00, 0x40, 0x40));
        Path f = dir.resolve("hand.safetensors");
        Files.write(f, content);

        SafetensorsFile read = SafetensorsReader.read(f);
        ModelParameters p = read.parameters();
        assertEquals(List.of("a", "b", "scale", "empty"),
                p.layout().entries().stream().map(e -> e.name()).toList());
        assertArrayEquals(new float[]{1.0f, 0.5f, -2.5f, 3.0f}, p.flat());
        assertArrayEquals(new int[]{1, 1}, p.tensor("b").shape());
        assertArrayEquals(new int[]{}, p.tensor("scale").shape());
        assertArrayEquals(new int[]{0, 3}, p.tensor("empty").shape());
        assertEquals(Map.of("format", "pt", "note", "h\u00e9llo"), read.metadata());
        assertEquals(sha256(content), read.sha256());
    }

    @Test
    void roundTripKeepsEveryBitIncludingNaNInfinityAndNegativeZero() throws Exception {
        Random rnd = new Random(42);
        float[] big = new float[50_000]; // larger than one I/O chunk
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) rnd.nextGaussian();
        }
        big[7] = Float.NaN;
        big[8] = Float.intBitsToFloat(0x7FC0_1234); // a NaN with a payload
        big[9] = Float.NEGATIVE_INFINITY;
        big[10] = -0.0f;
        big[11] = Float.MIN_VALUE;
        ModelParameters p = ModelParameters.of(List.of(
                new Tensor("dense/kernel", new int[]{100, 500}, big),
                new Tensor("dense/bias", new int[]{3}, new float[]{1, 2, 3})));
        Path f = dir.resolve("rt.safetensors");
        String sha = SafetensorsWriter.write(f, p, Map.of("k", "v"));
        SafetensorsFile back = SafetensorsReader.readVerified(f, sha);

        assertEquals(p.layout(), back.parameters().layout());
        float[] a = p.flat();
        float[] b = back.parameters().flat();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(Float.floatToRawIntBits(a[i]), Float.floatToRawIntBits(b[i]), "value " + i);
        }
        assertEquals(Map.of("k", "v"), back.metadata());
    }

    @Test
    void writingOverAnExistingFileReplacesItAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("w.safetensors");
        ModelParameters one = ModelParameters.of(List.of(new Tensor("x", new int[]{1}, new float[]{1})));
        ModelParameters two = ModelParameters.of(List.of(new Tensor("x", new int[]{1}, new float[]{2})));
        SafetensorsWriter.write(f, one, Map.of());
        String sha = SafetensorsWriter.write(f, two, Map.of());
        assertArrayEquals(new float[]{2}, SafetensorsReader.readVerified(f, sha).parameters().flat());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList());
        }
    }

    @Test
    void atomicWriteCreatesMissingFoldersAndReplacesAFileInAnExistingOne() throws Exception {
        Path nested = dir.resolve("a").resolve("b").resolve("state.bin");
        AtomicFiles.write(nested, ch -> ch.write(java.nio.ByteBuffer.wrap(new byte[]{1, 2})));
        assertArrayEquals(new byte[]{1, 2}, Files.readAllBytes(nested));
        AtomicFiles.write(nested, ch -> ch.write(java.nio.ByteBuffer.wrap(new byte[]{3})));
        assertArrayEquals(new byte[]{3}, Files.readAllBytes(nested));
        try (var files = Files.list(nested.getParent())) {
            assertEquals(List.of(nested), files.toList(), "no temporary file is left");
        }
    }

    @Test
    void failedWriteLeavesThePreviousFileIntact() throws Exception {
        Path f = dir.resolve("keep.safetensors");
        ModelParameters one = ModelParameters.of(List.of(new Tensor("x", new int[]{2}, new float[]{1, 2})));
        String sha = SafetensorsWriter.write(f, one, Map.of());
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, ch -> {
            ch.write(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3}));
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals(one, SafetensorsReader.readVerified(f, sha).parameters());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(f), files.toList(), "the temporary file is removed");
        }
    }

    @Test
    void tensorNamedLikeTheMetadataKeyIsRefused() {
        ModelParameters p = ModelParameters.of(List.of(new Tensor("__metadata__", new int[]{1}, new float[]{1})));
        var e = assertThrows(IllegalArgumentException.class,
                () -> SafetensorsWriter.write(dir.resolve("m.safetensors"), p, Map.of()));
        assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    }

    @Test
    void checksumMismatchNamesTheFileAndBothDigests() throws Exception {
        Path f = dir.resolve("c.safetensors");
        String sha = SafetensorsWriter.write(f,
                ModelParameters.of(List.of(new Tensor("x", new int[]{1}, new float[]{1}))), Map.of());
        byte[] b = Files.readAllBytes(f);
        b[b.length - 1] ^= 0x01; // still a valid file, different value
        Files.write(f, b);
        var e = assertThrows(ChecksumMismatchException.class, () -> SafetensorsReader.readVerified(f, sha));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains(sha)
                && e.getMessage().contains(sha256(b)), e.getMessage());
    }
}
