package org.fedmed.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    private static Map<String, List<double[]>> series(int sites, int rounds) {
        Map<String, List<double[]>> all = new LinkedHashMap<>();
        for (int s = -1; s < sites; s++) {
            List<double[]> pts = new ArrayList<>();
            for (int r = 1; r <= rounds; r++) {
                pts.add(new double[]{r, 1.0 / r + 0.001 * s});
            }
            all.put(s < 0 ? "global" : "site-" + s, pts);
        }
        return all;
    }

    private static long count(String svg, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(svg).results().count();
    }

    @Test
    void smallChartsCarryEveryPointOfEverySeriesWithItsExactValue() {
        String svg = SvgChart.lines("c", "t", series(3, 10));
        assertEquals(40, count(svg, "<circle"));
        assertTrue(svg.contains("data-series=\"site-2\" data-round=\"10\" data-value=\"" + (0.1 + 0.002) + "\""), svg);
    }

    @Test
    void aWideLongRunKeepsEveryGlobalPointAndThinsEachSiteLineKeepingItsLastRound() {
        String svg = SvgChart.lines("c", "t", series(100, 1000));
        assertEquals(1000, count(svg, "data-series=\"global\""), "every global point, with its value");
        assertEquals(1000, count(svg, "<circle"), "no per-site dots");
        Matcher lines = Pattern.compile("<polyline [^>]*points=\"([^\"]*)\"").matcher(svg);
        int n = 0;
        while (lines.find()) {
            String[] pts = lines.group(1).split(" ");
            if (n == 0) {
                assertEquals(1000, pts.length, "the global line");
            } else {
                assertTrue(pts.length <= SvgChart.MAX_LINE_POINTS, "site line of " + pts.length + " points");
                assertTrue(pts[pts.length - 1].startsWith("" + (40 + 470) + ".0,"), "ends at the last round: "
                        + pts[pts.length - 1]);
            }
            n++;
        }
        assertEquals(101, n);
        assertTrue(svg.contains(">+" + (101 - SvgChart.MAX_LEGEND) + " more</text>"), "legend counts the rest");
        assertTrue(svg.length() < 600_000, "chart of " + svg.length() + " characters");
    }
}
