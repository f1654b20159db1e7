package org.fedmed.secagg.crypto;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The process-wide choice of {@link Curve25519} by {@value Curve25519#PROPERTY}, which is made once per JVM, so each
 * case runs in a JVM of its own: a named implementation is the one X25519 runs, and a name that is not one fails every
 * use with an {@link IllegalStateException} naming the property (a clear error, not a failed class initialization).
 */
class Curve25519ChoiceOtherJvmTest {

    /** Prints X25519's implementation, or the exception its first use throws; then whether a second use throws too. */
    public static void main(String[] args) {
        for (int i = 0; i < 2; i++) {
            try {
                System.out.println("implementation " + X25519.implementation());
            } catch (RuntimeException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    private static String runWith(String property) throws IOException, InterruptedException {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(launcher, "--enable-native-access=ALL-UNNAMED",
                "-D" + Curve25519.PROPERTY + "=" + property, "-cp", System.getProperty("java.class.path"),
                Curve25519ChoiceOtherJvmTest.class.getName()).redirectErrorStream(true).start();
        try {
            assertTrue(other.waitFor(60, TimeUnit.SECONDS), "the other JVM did not finish");
            return new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void eachNamedImplementationIsTheOneX25519Runs() throws Exception {
        assertEquals("implementation bouncycastle\nimplementation bouncycastle\n", runWith("bouncycastle"));
        assertEquals("implementation libsodium\nimplementation libsodium\n", runWith("libsodium"),
                "libsodium is needed for this test (Debian: apt-get install libsodium23)");
    }

    @Test
    void anUnknownImplementationFailsEveryUseNamingTheProperty() throws Exception {
        String expected = "IllegalStateException: fedmed.x25519 must be libsodium or bouncycastle, got 'openssl'\n";
        assertEquals(expected + expected, runWith("openssl"));
    }
}
