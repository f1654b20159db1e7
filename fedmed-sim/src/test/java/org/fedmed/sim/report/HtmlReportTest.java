package org.fedmed.sim.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {

    @TempDir
    Path dir;

    private static ComparisonReport privateReport() {
        ComparisonReport plain = ReportWriterTest.report();
        FederatedSummary f = plain.federated();
        PrivacySummary dp = new PrivacySummary("dp-fedavg", 1.1, 1e-5, null, 0.8123456789,
                List.of(new PrivacySummary.Round(1, 2, 1.0, 0.5, 0.8123456789)));
        FederatedSummary withDp = new FederatedSummary(f.strategy(), f.stopReason(), f.stopDetail(), f.roundsRun(),
                f.rounds(), null, dp, Map.of("a", 2.5, "b", 3.25));
        return new ComparisonReport(plain.provenance(), plain.regimes(), withDp, List.of("site 'b' <small> & skewed"),
                null, null, plain.objective());
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void everyMetricCellEqualsResultsJsonAndNothingIsFetchedFromElsewhere() throws Exception {
        new ReportWriter().write(privateReport(), dir);
        Path html = dir.resolve("report.html");
        String text = Files.readString(html);
        assertFalse(text.contains("http://") || text.contains("https://"), "no URL in the page");
        assertFalse(text.contains("<script"), "no script");
        Document doc = parse(html);
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            for (String attr : List.of("src", "href", "xlink:href")) {
                String v = e.getAttribute(attr);
                assertFalse(v.startsWith("http:") || v.startsWith("https:") || v.startsWith("//"),
                        e.getTagName() + " " + attr + "=" + v);
            }
            assertNotEquals("link", e.getTagName());
            assertNotEquals("img", e.getTagName(), "charts are inline SVG");
        }

        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        NodeList cells = doc.getElementsByTagName("td");
        List<String> seen = new ArrayList<>();
        int naCells = 0;
        for (int i = 0; i < cells.getLength(); i++) {
            Element td = (Element) cells.item(i);
            if (td.getAttribute("data-metric").isEmpty()) continue;
            String regime = td.getAttribute("data-regime");
            String site = td.getAttribute("data-site");
            String metric = td.getAttribute("data-metric");
            JsonNode expected = site.equals("pooled") ? json.at("/regimes/" + regime + "/pooled/" + metric)
                    : json.at("/regimes/" + regime + "/sites/" + site + "/" + metric);
            if (td.getAttribute("data-value").isEmpty()) {
                assertEquals("n/a", td.getTextContent());
                assertTrue(expected.isMissingNode() || expected.isNull() || Double.isNaN(expected.asDouble()),
                        regime + "/" + site + "/" + metric + " is n/a but results.json has " + expected);
                naCells++;
                continue;
            }
            double v = Double.parseDouble(td.getAttribute("data-value"));
            assertEquals(expected.asDouble(), v, 0.0, regime + "/" + site + "/" + metric);
            assertEquals(String.format(Locale.ROOT, "%.4f", expected.asDouble()), td.getTextContent());
            seen.add(regime + "/" + site + "/" + metric);
        }
        // 2 regimes x (2 sites + pooled) x 5 metrics, less local's undefined roc_auc at b
        assertEquals(29, seen.size());
        assertEquals(1, naCells);
        assertTrue(seen.contains("federated/pooled/roc_auc"));

        Element eps = doc.getElementById("epsilon");
        if (eps == null) {
            eps = byId(doc, "epsilon");
        }
        assertEquals(json.at("/federated/privacy/epsilon").asDouble(), Double.parseDouble(eps.getAttribute("data-value")));
        assertEquals("0.8123", eps.getTextContent());
        assertTrue(text.contains("site &#39;b&#39; &lt;small&gt; &amp; skewed"), "warnings are escaped");
        assertTrue(byId(doc, "site-epsilon").getTextContent().contains("3.2500"));
        assertTrue(byId(doc, "provenance").getTextContent().contains("\"seed\" : 42"));
        assertEquals(3, doc.getElementsByTagName("svg").getLength(),
                "loss and AUC by regime and the epsilon curve; no per-site chart, as no round has site metrics");
    }

    @Test
    void curvesAreDrawnWithOnePolylinePerRegime() throws Exception {
        new ReportWriter().write(ReportWriterTest.report(), dir);
        Document doc = parse(dir.resolve("report.html"));
        NodeList lines = doc.getElementsByTagName("polyline");
        List<String> series = new ArrayList<>();
        for (int i = 0; i < lines.getLength(); i++) {
            Element l = (Element) lines.item(i);
            series.add(l.getAttribute("data-series") + ":" + l.getAttribute("points").split(" ").length);
        }
        // log_loss is defined in both rounds; roc_auc is NaN in round 1, which is left out, not drawn as 0
        assertEquals(List.of("local:2", "federated:2", "local:1", "federated:1"), series);
    }

    private static Element byId(Document doc, String id) {
        NodeList all = doc.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (id.equals(e.getAttribute("id"))) return e;
        }
        throw new AssertionError("no element with id " + id);
    }
}
