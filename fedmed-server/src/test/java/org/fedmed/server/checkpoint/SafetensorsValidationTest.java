package org.fedmed.server.checkpoint;

import static org.fedmed.server.checkpoint.SafetensorsFormatTest.file;
import static org.fedmed.server.checkpoint.SafetensorsFormatTest.u64le;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafetensorsValidationTest {

    @TempDir
    Path dir;

    static final byte[] EIGHT = new byte[8];

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static Stream<Arguments> brokenFiles() {
        String ok2 = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        byte[] valid = file(ok2, EIGHT);
        return Stream.of(
                Arguments.of("shorter than the length field", new byte[]{1, 2, 3}, "shorter than the 8-byte"),
                Arguments.of("header length beyond the file", concat(u64le(4096), "{}".getBytes(StandardCharsets.UTF_8)),
                        "truncated"),
                Arguments.of("absurd header length", concat(u64le(Long.MAX_VALUE), new byte[16]), "outside"),
                Arguments.of("truncated data", Arrays.copyOf(valid, valid.length - 1), "the file holds 7"),
                Arguments.of("trailing bytes", concat(valid, new byte[4]), "after the header"),
                Arguments.of("header not JSON", file("{not json", new byte[0]), "not valid JSON"),
                Arguments.of("header not an object", file("[1,2]", new byte[0]), "JSON object"),
                Arguments.of("invalid UTF-8", concat(u64le(8), new byte[]{'{', (byte) 0xC3, 0x28, '}', ' ', ' ', ' ', ' '}),
                        "UTF-8"),
                Arguments.of("duplicate tensor name", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", EIGHT), "Duplicate"),
                Arguments.of("dtype other than F32", file("{\"a\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]}}",
                        EIGHT), "dtype F16"),
                Arguments.of("shape does not match bytes", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
                        EIGHT), "needs 12 bytes"),
                Arguments.of("gap between tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]), "contiguous"),
                Arguments.of("overlapping tensors", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", EIGHT), "contiguous"),
                Arguments.of("end before begin", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[0,0]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,-4]}}", EIGHT), "non-negative"),
                Arguments.of("negative dimension", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}",
                        EIGHT), "dimensions must be integers"),
                Arguments.of("fractional offset", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.0]}}",
                        EIGHT), "data_offsets"),
                Arguments.of("missing dtype", file("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", EIGHT), "no dtype"),
                Arguments.of("non-string metadata", file("{\"__metadata__\":{\"n\":3}}", new byte[0]), "must be a string"),
                Arguments.of("overflowing shape", file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,"
                        + "2147483647],\"data_offsets\":[0,8]}}", EIGHT), "overflows"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void brokenFileIsRefusedWithAMessageNamingTheFileAndTheProblem(String what, byte[] content, String expected)
            throws Exception {
        Path f = dir.resolve("broken.safetensors");
        Files.write(f, content);
        SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> SafetensorsReader.read(f));
        assertEquals(f, e.file());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), what + ": " + e.getMessage());
    }
}
