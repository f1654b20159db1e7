package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.fedmed.privacy.accounting.RdpAccountant;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PrivacyCommandTest {

    record Run(int exit, String out, String err, Exception thrown) {
    }

    /** Runs the command alone; an exception from it is captured and mapped as fedmed's top-level handler maps it. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicReference<Exception> thrown = new AtomicReference<>();
        CommandLine cl = new CommandLine(new PrivacyCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            thrown.set(ex);
            return ex instanceof IllegalArgumentException ? 2 : 1;
        });
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString(), thrown.get());
    }

    @Test
    void noisePrintsTheEpsilonOfTheAccountantAndItsBestOrder() {
        // Opacus's accountant test setting: q 0.04, z 1.5, 2250 steps, delta 1e-5 -> epsilon 7.3291 at order 3.9.
        Run r = run("--noise", "1.5", "--sample-rate", "0.04", "--steps", "2250", "--delta", "1e-5");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("epsilon = 7.3291 at delta = 1.0E-5 (best Renyi order 3.9)"), r.out());
    }

    @Test
    void classicConversionReproducesTheTensorFlowPrivacyTutorialFigure() {
        Run r = run("--noise", "1.1", "--sample-rate", String.valueOf(256 / 60000.0), "--steps", "14063",
                "--delta", "1e-5", "--conversion", "classic");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("epsilon = 3.00"), r.out());
        assertTrue(r.out().contains("classic conversion"), r.out());
    }

    @Test
    void targetEpsilonPrintsTheNoiseMultiplierThatReachesIt() {
        Run r = run("--target-epsilon", "8", "--sample-rate", "0.04", "--steps", "2250", "--delta", "1e-5");
        assertEquals(0, r.exit(), r.err());
        double z = RdpAccountant.noiseForTarget(8, 1e-5, 0.04, 2250);
        assertTrue(r.out().contains(String.format(Locale.ROOT, "noise multiplier = %.4f", z)), r.out());
        assertTrue(r.out().contains("epsilon = 8.0000"), r.out());
    }

    @Test
    void aBoundSetByTheEdgeOfTheOrderListIsFlaggedAsPossiblyLoose() {
        Run edge = run("--target-epsilon", "0.01", "--sample-rate", "0.01", "--steps", "1000", "--delta", "1e-5");
        assertEquals(0, edge.exit(), edge.err());
        assertTrue(edge.out().contains("note: the best order lies at the edge"), edge.out());
        Run inside = run("--noise", "1.5", "--sample-rate", "0.04", "--steps", "2250", "--delta", "1e-5");
        assertFalse(inside.out().contains("note:"), inside.out());
    }

    @Test
    void badValuesAreRefusedNamingTheFlag() {
        String[][] cases = {
                {"--noise", "1", "--sample-rate", "1.5", "--steps", "10", "--delta", "1e-5", "--sample-rate"},
                {"--noise", "-1", "--sample-rate", "0.1", "--steps", "10", "--delta", "1e-5", "--noise"},
                {"--noise", "1", "--sample-rate", "0.1", "--steps", "0", "--delta", "1e-5", "--steps"},
                {"--noise", "1", "--sample-rate", "0.1", "--steps", "10", "--delta", "2", "--delta"},
                {"--target-epsilon", "0", "--sample-rate", "0.1", "--steps", "10", "--delta", "1e-5", "--target-epsilon"},
                {"--noise", "1", "--sample-rate", "0.1", "--steps", "10", "--delta", "1e-5", "--conversion", "tight",
                        "--conversion"},
        };
        for (String[] c : cases) {
            String flag = c[c.length - 1];
            String[] args = Arrays.copyOf(c, c.length - 1);
            Run r = run(args);
            assertEquals(2, r.exit(), flag);
            assertInstanceOf(IllegalArgumentException.class, r.thrown(), flag);
            assertTrue(r.thrown().getMessage().startsWith(flag), r.thrown().getMessage());
        }
    }

    @Test
    void askingBothQuestionsOrNeitherIsAUsageError() {
        Run both = run("--noise", "1", "--target-epsilon", "2", "--sample-rate", "0.1", "--steps", "10",
                "--delta", "1e-5");
        assertEquals(2, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        Run neither = run("--sample-rate", "0.1", "--steps", "10", "--delta", "1e-5");
        assertEquals(2, neither.exit());
        assertTrue(neither.err().contains("--noise") && neither.err().contains("--target-epsilon"), neither.err());
    }
}
