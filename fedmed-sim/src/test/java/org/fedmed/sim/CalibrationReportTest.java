package org.fedmed.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.fedmed.data.TestData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.ReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The calibration plot of a regression simulate (examples/heart-age): {@code calibration.png}, the chart in
 * {@code report.html} whose markers carry exactly the bins {@code results.json} holds, and none of it for a
 * classification.
 */
class CalibrationReportTest {

    private static Map<String, List<double[]>> markers(Path html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setExpandEntityReferences(false);
        NodeList circles = f.newDocumentBuilder().parse(html.toFile()).getElementsByTagName("circle");
        Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
        for (int i = 0; i < circles.getLength(); i++) {
            Element c = (Element) circles.item(i);
            if (c.getAttribute("class").equals("point")) {
                bySeries.computeIfAbsent(c.getAttribute("data-series"), k -> new ArrayList<>()).add(new double[]{
                        Integer.parseInt(c.getAttribute("data-bin")), Double.parseDouble(c.getAttribute("data-x")),
                        Double.parseDouble(c.getAttribute("data-y"))});
            }
        }
        return bySeries;
    }

    @Test
    void aRegressionSimulateWritesCalibrationBinsToThePngTheHtmlAndResultsJson(@TempDir Path dir) throws Exception {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = ObjectiveReportsTest.plan("");
        FederatedDataset data = SimulationData.load(cfg, DatasetRegistry.fromEnvironment());
        ComparisonReport report = new ComparisonExperiment(cfg, null).run(data);
        List<Path> files = new ReportWriter().write(report, dir);
        assertEquals(dir.resolve(ReportWriter.CALIBRATION_PNG), files.getLast());
        var png = ImageIO.read(dir.resolve("calibration.png").toFile());
        assertEquals(700, png.getWidth());

        double labelSum = 0;
        int rows = 0;
        for (SiteData s : data.sites()) {
            for (float y : s.test().labels()) {
                labelSum += y;
                rows++;
            }
        }
        assertEquals(231, rows);
        JsonNode regimes = new ObjectMapper().readTree(dir.resolve("results.json").toFile()).get("regimes");
        Map<String, List<double[]>> drawn = markers(dir.resolve("report.html"));
        assertEquals(List.of("local", "federated", "centralized"), List.copyOf(drawn.keySet()));
        for (String regime : drawn.keySet()) {
            JsonNode bins = regimes.get(regime).get("calibration");
            assertEquals(10, bins.size(), regime);
            assertEquals(10, drawn.get(regime).size(), regime);
            int n = 0;
            double observed = 0;
            double lastPredicted = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < bins.size(); i++) {
                JsonNode bin = bins.get(i);
                double[] marker = drawn.get(regime).get(i);
                assertEquals(i + 1, bin.get("bin").asInt());
                assertEquals(bin.get("bin").asInt(), (int) marker[0]);
                assertEquals(bin.get("mean_predicted").asDouble(), marker[1], 0.0, regime + " bin " + (i + 1));
                assertEquals(bin.get("mean_observed").asDouble(), marker[2], 0.0, regime + " bin " + (i + 1));
                int size = bin.get("n").asInt();
                assertTrue(size == 23 || size == 24, regime + " bin " + (i + 1) + " holds " + size + " rows");
                assertTrue(marker[1] >= lastPredicted, regime + ": bins run in order of the prediction");
                lastPredicted = marker[1];
                n += size;
                observed += size * marker[2];
            }
            assertEquals(rows, n, regime);
            assertEquals(labelSum / rows, observed / n, 1e-9, regime + ": the bins hold every test label once");
        }
    }

    @Test
    void aClassificationSimulateHasNoCalibration(@TempDir Path dir) throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SimulationConfig cfg = ConfigLoader.parse("dataset: heart-disease\nrounds: 2\nlocal_epochs: 1\nseed: 7\n",
                "test", Map.of());
        ComparisonReport report = new ComparisonExperiment(cfg, null).run(SimulationData.load(cfg, registry));
        List<Path> files = new ReportWriter().write(report, dir);
        assertEquals(ReportWriter.FILES, files.stream().map(p -> p.getFileName().toString()).toList());
        assertFalse(Files.exists(dir.resolve(ReportWriter.CALIBRATION_PNG)));
        assertFalse(Files.readString(dir.resolve("results.json")).contains("calibration"));
        assertTrue(markers(dir.resolve("report.html")).isEmpty());
        assertFalse(Files.readString(dir.resolve("report.html")).contains("id=\"calibration\""));
    }
}
