package org.fedmed.data.survival;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The federated Kaplan-Meier curve, its Greenwood variance and band, and the log-rank test against an independent
 * computation by numpy and scipy ({@code scipy.stats.ecdf} on right-censored data, {@code scipy.stats.logrank}) on the
 * pooled rows, each time moved to the start of its pooled bin. Runs with {@code $FEDMED_PYTHON}, else
 * {@code python3}; skipped only when no interpreter starts (an interpreter without numpy or scipy fails the test).
 */
class SurvivalScipyReferenceTest {

    @TempDir
    Path dir;

    private static final String SCRIPT = """
            import sys
            import numpy as np
            from scipy import stats

            rows = np.loadtxt(sys.argv[1], delimiter=",", ndmin=2)
            t, e, g = rows[:, 0], rows[:, 1] > 0, rows[:, 2].astype(int)

            def edges(path):
                return np.loadtxt(path, delimiter=",", ndmin=1)

            def binned(t, e, edges):
                idx = np.searchsorted(edges, t, side="right") - 1
                after = t >= edges[-1]
                idx[after] = len(edges) - 2
                return idx.astype(float), e & ~after

            def censored(idx, ev):
                return stats.CensoredData(uncensored=idx[ev], right=idx[~ev])

            km_edges = edges(sys.argv[2])
            idx, ev = binned(t, e, km_edges)
            m = len(km_edges) - 1
            res = stats.ecdf(censored(idx, ev))
            sf = res.sf.evaluate(np.arange(m))
            band = res.sf.confidence_interval(0.95, method="log-log")
            low, high = band.low.evaluate(np.arange(m)), band.high.evaluate(np.arange(m))
            n = np.array([(idx >= j).sum() for j in range(m)], dtype=float)
            d = np.array([((idx == j) & ev).sum() for j in range(m)], dtype=float)
            s = np.cumprod(1 - d / n)
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.where(n > d, d / (n * (n - d)), 0.0)
            var = s ** 2 * np.cumsum(terms)
            for j in range(m):
                print("km", j, repr(float(sf[j])), repr(float(s[j])), repr(float(var[j])),
                      repr(float(low[j])), repr(float(high[j])))

            lr_edges = edges(sys.argv[3])
            idx, ev = binned(t, e, lr_edges)
            r = stats.logrank(censored(idx[g == 0], ev[g == 0]), censored(idx[g == 1], ev[g == 1]))
            print("logrank", repr(float(r.statistic) ** 2), repr(float(r.pvalue)))
            """;

    @Test
    void kaplanMeierAndLogRankFromFederatedCountsMatchScipyOnThePooledRows() throws Exception {
        SplittableRandom rng = new SplittableRandom(15);
        TimeBins bins = TimeBins.uniform(0.25, 16);
        long k = 5;
        List<SurvivalRelease> all = new ArrayList<>();
        List<SurvivalRelease> control = new ArrayList<>();
        List<SurvivalRelease> treated = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (int s = 0; s < 3; s++) {
            int n = 300 + 200 * s;
            double[] t = new double[n];
            boolean[] e = new boolean[n];
            int[] g = new int[n];
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextInt(2);
                double event = -Math.log(1 - rng.nextDouble()) * (g[i] == 1 ? 1.6 : 1.0) * (1 + 0.2 * s);
                double censor = rng.nextDouble() * 6;
                t[i] = Math.min(event, censor);
                e[i] = event <= censor;
                csv.append(String.format(Locale.ROOT, "%.17g,%d,%d%n", t[i], e[i] ? 1 : 0, g[i]));
            }
            String site = "site-" + s;
            all.add(SurvivalRelease.of(site, SurvivalRelease.ALL, t, e, bins, k));
            List<SurvivalRelease> groups = SurvivalRelease.byGroup(site, t, e, g, List.of("control", "treated"), bins,
                    k);
            control.add(groups.get(0));
            treated.add(groups.get(1));
        }
        KaplanMeier km = KaplanMeier.of(all);
        LogRankTest lr = LogRankTest.of(control, treated);
        assertTrue(km.count() > 5 && km.count() < bins.count(), "bins merged but not all: " + km);
        Path rows = Files.writeString(dir.resolve("rows.csv"), csv);
        Path kmEdges = Files.writeString(dir.resolve("km.csv"), join(km.bins().edges()));
        Path lrEdges = Files.writeString(dir.resolve("lr.csv"), join(lr.bins().edges()));

        String out = runPython(SCRIPT, rows, kmEdges, lrEdges);
        Map<String, double[]> lines = new LinkedHashMap<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.strip().split(" ");
            double[] v = new double[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                v[i - 1] = Double.parseDouble(f[i]);
            }
            lines.put(f[0] + (f[0].equals("km") ? " " + f[1] : ""), v);
        }
        for (int j = 0; j < km.count(); j++) {
            double[] ref = lines.get("km " + j);
            assertEquals(ref[1], km.survival()[j], 1e-12, "scipy's Kaplan-Meier at bin " + j);
            assertEquals(ref[2], km.survival()[j], 1e-12, "numpy's Kaplan-Meier at bin " + j);
            assertEquals(ref[3], km.variance()[j], 1e-12, "numpy's Greenwood variance at bin " + j);
            assertEquals(ref[4], km.lower()[j], 1e-9, "scipy's log-log lower bound at bin " + j);
            assertEquals(ref[5], km.upper()[j], 1e-9, "scipy's log-log upper bound at bin " + j);
        }
        double[] ref = lines.get("logrank");
        assertEquals(ref[0], lr.chiSquare(), 1e-9 * ref[0], "scipy's log-rank statistic, squared");
        assertEquals(ref[1], lr.pValue(), 1e-9, "scipy's log-rank p-value");
        assertTrue(lr.chiSquare() > 3, "the groups' hazards differ: " + lr);
    }

    private static String join(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) {
            b.append(String.format(Locale.ROOT, "%.17g%n", x));
        }
        return b.toString();
    }

    private String runPython(String script, Path... args) throws Exception {
        Path file = Files.writeString(dir.resolve("reference.py"), script);
        String python = System.getenv("FEDMED_PYTHON");
        List<String> cmd = new ArrayList<>(List.of(python == null || python.isBlank() ? "python3" : python,
                file.toString()));
        for (Path a : args) {
            cmd.add(a.toString());
        }
        Process proc;
        try {
            proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException noPython) {
            assumeTrue(false, "no Python interpreter: " + noPython.getMessage());
            throw noPython;
        }
        if (!proc.waitFor(120, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("the numpy/scipy reference did not finish in 120 s");
        }
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.exitValue(), "the numpy/scipy reference failed (numpy and scipy are required): " + out);
        return out;
    }
}
