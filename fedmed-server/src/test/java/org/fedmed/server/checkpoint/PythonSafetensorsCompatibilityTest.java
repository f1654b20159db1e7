package org.fedmed.server.checkpoint;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks our files against the reference implementation, when it is installed: a Python interpreter
 * ({@code $FEDMED_PYTHON}, else {@code python3}) that can import {@code safetensors.numpy}. Skipped otherwise.
 */
class PythonSafetensorsCompatibilityTest {

    @TempDir
    Path dir;

    record Result(int exit, String output) {
    }

    static String python() {
        String p = System.getenv("FEDMED_PYTHON");
        return p == null || p.isBlank() ? "python3" : p;
    }

    static Result runPython(Path dir, String script, String... args) throws Exception {
        Path file = dir.resolve("check.py");
        Files.writeString(file, script);
        List<String> cmd = new ArrayList<>(List.of(python(), file.toString()));
        cmd.addAll(List.of(args));
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException noPython) {
            return new Result(-1, "no interpreter: " + noPython.getMessage());
        }
        if (!proc.waitFor(60, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            return new Result(-2, "timed out");
        }
        return new Result(proc.exitValue(), new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    static void assumeSafetensorsInstalled(Path dir) throws Exception {
        Result r = runPython(dir, "import safetensors.numpy, numpy\n");
        assumeTrue(r.exit() == 0, "python safetensors not available: " + r.output());
    }

    @Test
    void referenceImplementationReadsOurFileWithTheSameValuesAndMetadata() throws Exception {
        assumeSafetensorsInstalled(dir);
        Random rnd = new Random(7);
        float[] w = new float[12];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) rnd.nextGaussian();
        }
        ModelParameters p = ModelParameters.of(List.of(
                new Tensor("fc1.weight", new int[]{3, 4}, w),
                new Tensor("fc1.bias", new int[]{3}, new float[]{0.25f, -1f, 7f}),
                new Tensor("temperature", new int[]{}, new float[]{0.5f})));
        Path f = dir.resolve("ours.safetensors");
        SafetensorsWriter.write(f, p, Map.of("fedmed.round", "3"));

        String script = """
                import sys
                from safetensors import safe_open
                from safetensors.numpy import load_file
                t = load_file(sys.argv[1])
                with safe_open(sys.argv[1], framework="numpy") as h:
                    print("meta", h.metadata()["fedmed.round"])
                for name in sorted(t):
                    a = t[name]
                    print(name, a.dtype, list(a.shape), " ".join(format(int(x), "08x") for x in a.reshape(-1).view("<u4")))
                """;
        Result r = runPython(dir, script, f.toString());
        assertEquals(0, r.exit(), r.output());
        StringBuilder expected = new StringBuilder("meta 3\n");
        for (String name : List.of("fc1.bias", "fc1.weight", "temperature")) {
            Tensor t = p.tensor(name);
            StringBuilder bits = new StringBuilder();
            for (float v : t.values()) {
                bits.append(bits.isEmpty() ? "" : " ").append(String.format("%08x", Float.floatToRawIntBits(v)));
            }
            expected.append(name).append(" float32 ").append(java.util.Arrays.toString(t.shape()).replace(" ", ""))
                    .append(' ').append(bits).append('\n');
        }
        assertEquals(expected.toString(), r.output().replace("[]  ", "[] ").replace(", ", ","));
    }

    @Test
    void weReadAFileWrittenByTheReferenceImplementation() throws Exception {
        assumeSafetensorsInstalled(dir);
        Path f = dir.resolve("theirs.safetensors");
        String script = """
                import sys, numpy as np
                from safetensors.numpy import save_file
                save_file({"b": np.array([1.5, -2.0], dtype=np.float32),
                           "a": np.arange(6, dtype=np.float32).reshape(2, 3)},
                          sys.argv[1], metadata={"format": "np"})
                """;
        Result r = runPython(dir, script, f.toString());
        assertEquals(0, r.exit(), r.output());
        SafetensorsFile read = SafetensorsReader.read(f);
        assertEquals(Map.of("format", "np"), read.metadata());
        assertArrayEquals(new float[]{0, 1, 2, 3, 4, 5}, read.parameters().tensor("a").values());
        assertArrayEquals(new int[]{2, 3}, read.parameters().tensor("a").shape());
        assertArrayEquals(new float[]{1.5f, -2.0f}, read.parameters().tensor("b").values());
    }
}
