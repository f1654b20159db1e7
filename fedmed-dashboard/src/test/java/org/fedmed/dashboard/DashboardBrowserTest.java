package org.fedmed.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.data.HeadlessChromium;
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

    @Test
    void chromiumShowsTheRunsSiteTableAndLearningCurve() throws Exception {
        Path db = dir.resolve("runs.db");
        OperatorToken token = OperatorToken.generate(new SecureRandom(new byte[]{3}));
        List<RoundRecord> recorded = new ArrayList<>();
        try (RunStore writer = RunStore.open(db);
             Dashboard d = Dashboard.start(DashboardSettings.local(db, token));
             HeadlessChromium chromium = HeadlessChromium.online(dir)) {
            long id = TestRun.run(writer, dir.resolve("checkpoints"), 3, new RunListener() {
                @Override
                public void roundFinished(RoundRecord record, org.fedmed.core.ModelParameters global) {
                    recorded.add(record);
                }
            });
            String dom = chromium.dumpDom(d.url() + "/?live=0&token=" + token.value());
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
            Path shot = chromium.screenshot(d.url() + "/?live=0&token=" + token.value(),
                    Path.of("target", "dashboard-screenshot.png"));
            assertTrue(Files.size(shot) > 1000, "screenshot written: " + shot);
            assertEquals(3, writer.rounds(id).size());
        }
    }
}
