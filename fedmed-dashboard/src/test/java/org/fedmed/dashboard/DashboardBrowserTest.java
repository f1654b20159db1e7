package org.fedmed.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.pki.OperatorToken;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's chromium, headless, loads the dashboard of a real RoundEngine run recorded into a real SQLite store, with
 * the dashboard serving it live on 127.0.0.1; the DOM it dumps must show the run's real site table and learning
 * curve. Fails, never skips, when chromium is missing ({@code .ci/run} installs it). Saves
 * {@code target/dashboard-screenshot.png}.
 */
class DashboardBrowserTest {

    @TempDir
    Path dir;

    private static Path chromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
            if (Files.isExecutable(Path.of(p))) {
                return Path.of(p);
            }
        }
        throw new AssertionError("chromium is not installed (apt-get install -y chromium; .ci/run does it)");
    }

    private String chromium(String url, String... mode) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(chromium().toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--window-size=1000,1400",
                "--virtual-time-budget=3000"));
        cmd.addAll(List.of(mode));
        cmd.add(url);
        Path out = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 60 s: " + cmd);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    @Test
    void chromiumShowsTheRunsSiteTableAndLearningCurve() throws Exception {
        Path db = dir.resolve("runs.db");
        OperatorToken token = OperatorToken.generate(new SecureRandom(new byte[]{3}));
        List<RoundRecord> recorded = new ArrayList<>();
        try (RunStore writer = RunStore.open(db);
             Dashboard d = Dashboard.start(DashboardSettings.local(db, token))) {
            long id = TestRun.run(writer, dir.resolve("checkpoints"), 3, new RunListener() {
                @Override
                public void roundFinished(RoundRecord record, org.fedmed.core.ModelParameters global) {
                    recorded.add(record);
                }
            });
            String dom = chromium(d.url() + "/?live=0&token=" + token.value(), "--dump-dom");
            assertTrue(dom.contains("<table id=\"sites\">"), dom);
            for (TestRun.TargetSite s : TestRun.SITES) {
                Matcher row = Pattern.compile("<tr data-site=\"" + s.siteId() + "\">.*?<td class=\"claimed\">(\\d+)"
                        + "</td>.*?<td class=\"taken\">(\\d+)</td>", Pattern.DOTALL).matcher(dom);
                assertTrue(row.find(), "site row of " + s.siteId());
                assertEquals(Long.toString(s.examples()), row.group(1), s.siteId() + " claimed examples");
                assertEquals("3", row.group(2), s.siteId() + " rounds taken part in");
            }
            assertTrue(dom.contains("round <b id=\"round\">3</b>"), "round progress");
            for (RoundRecord r : recorded) {
                String point = "data-series=\"global\" data-round=\"" + r.round() + "\" data-value=\""
                        + r.evalMetrics().get("log_loss") + "\"";
                assertTrue(dom.contains(point), "global learning curve point " + point);
            }
            assertTrue(dom.contains("id=\"epsilon-dp_epsilon\""), "epsilon chart");
            Path shot = Path.of("target", "dashboard-screenshot.png").toAbsolutePath();
            Files.deleteIfExists(shot);
            chromium(d.url() + "/?live=0&token=" + token.value(), "--screenshot=" + shot);
            assertTrue(Files.size(shot) > 1000, "screenshot written: " + shot);
            assertEquals(3, writer.rounds(id).size());
        }
    }
}
