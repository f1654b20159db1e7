package org.fedmed.sim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.data.HeadlessChromium;
import org.fedmed.data.TestData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.ComparisonExperiment;
import org.fedmed.sim.SimulationData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real small simulation of Fed-Heart-Disease (from {@code FEDMED_DATA}; the test fails when it is missing) writes
 * its report, and Debian's headless chromium, with every request sent to a dead end, opens {@code report.html} and
 * shows the three-regime table with the run's values: every cell of every regime, site and pooled row, as
 * {@code results.json} holds it. Saves {@code target/report-screenshot.png}.
 */
class HtmlReportBrowserTest {

    private static final Pattern CELL = Pattern.compile("<td class=\"num\" data-regime=\"([^\"]+)\" data-site=\"([^\"]+)\""
            + " data-metric=\"([^\"]+)\" data-value=\"([^\"]+)\">([^<]*)</td>");

    @TempDir
    Path dir;

    @Test
    void chromiumOfflineShowsTheThreeRegimeTableWithTheRunsValues() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = ConfigLoader.parse("rounds: 3\n", "test", Map.of());
        ComparisonReport report = new ComparisonExperiment(cfg, null).run(SimulationData.load(cfg, registry));
        Path out = dir.resolve("out");
        new ReportWriter().write(report, out);
        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());

        try (HeadlessChromium chromium = HeadlessChromium.offline(dir.resolve("chromium"))) {
            // control: a page that asks the network for something reaches only the dead end
            Path control = Files.writeString(dir.resolve("control.html"),
                    "<html><body><img src=\"http://fedmed-offline-check.invalid/pixel.png\"></body></html>");
            chromium.dumpDom(control.toUri().toString());
            assertTrue(chromium.requests().stream().anyMatch(r -> r.contains("fedmed-offline-check.invalid")),
                    "the network is cut at the dead end: " + chromium.requests());

            String dom = chromium.dumpDom(out.resolve("report.html").toUri().toString());
            assertTrue(dom.contains("<table id=\"regime-table\">"), "the regime table is in the page");

            Map<String, String[]> shown = new HashMap<>();
            Matcher m = CELL.matcher(dom);
            while (m.find()) {
                shown.put(m.group(1) + "/" + m.group(2) + "/" + m.group(3), new String[]{m.group(4), m.group(5)});
            }
            List<String> regimes = new ArrayList<>();
            json.get("regimes").fieldNames().forEachRemaining(regimes::add);
            assertEquals(List.of("local", "federated", "centralized"), regimes);
            int expected = 0;
            for (String regime : regimes) {
                JsonNode r = json.get("regimes").get(regime);
                Map<String, JsonNode> rows = new HashMap<>();
                r.get("sites").fields().forEachRemaining(e -> rows.put(e.getKey(), e.getValue()));
                rows.put(RegimeResult.POOLED, r.get("pooled"));
                assertEquals(5, rows.size(), regime + ": four hospitals and the pooled row");
                for (Map.Entry<String, JsonNode> row : rows.entrySet()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = row.getValue().fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> metric = it.next();
                        if (!metric.getValue().isNumber()) {
                            continue; // undefined there: shown as n/a
                        }
                        String key = regime + "/" + row.getKey() + "/" + metric.getKey();
                        String[] cell = shown.get(key);
                        assertTrue(cell != null, "chromium shows " + key);
                        double v = metric.getValue().asDouble();
                        assertEquals(v, Double.parseDouble(cell[0]), 0.0, key + " value");
                        assertEquals(String.format(Locale.ROOT, "%.4f", v), cell[1], key + " text");
                        expected++;
                    }
                }
            }
            assertEquals(expected, shown.size(), "every value cell chromium shows is one of results.json's");
            assertTrue(expected >= 3 * 5 * 4, "three regimes, five rows, several metrics each: " + expected);

            Path shot = chromium.screenshot(out.resolve("report.html").toUri().toString(),
                    Path.of("target", "report-screenshot.png"));
            assertTrue(Files.size(shot) > 1000, "screenshot written: " + shot);
        }
    }
}
