package org.fedmed.dashboard;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart drawn on the server as inline SVG, so the dashboard needs no script library and no network. Each
 * series is a polyline over the rounds; every point also carries a {@code data-round} and {@code data-value}
 * attribute with the exact value, so a page dump shows the numbers behind the curve.
 */
final class SvgChart {

    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
            "#e377c2", "#17becf"};
    private static final int W = 660;
    private static final int LEGEND = 110;
    private static final int H = 220;
    private static final int PAD = 40;

    private SvgChart() {
    }

    /** A chart titled {@code title} of each named series (round to value, rounds ascending). */
    static String lines(String id, String title, Map<String, List<double[]>> series) {
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" role=\"img\"><title>").append(Html.escape(title))
                .append("</title>");
        b.append("<text x=\"").append(PAD).append("\" y=\"14\" font-size=\"12\">").append(Html.escape(title))
                .append("</text>");
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"#999\"/>", PAD, 20, W - 2 * PAD - LEGEND, H - 20 - PAD));
        if (minX == Double.POSITIVE_INFINITY) {
            return b.append("<text x=\"60\" y=\"100\">no rounds yet</text></svg>").toString();
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.01 + 1e-9);
        }
        b.append(String.format(Locale.ROOT, "<text x=\"2\" y=\"28\" font-size=\"10\">%.4g</text>"
                + "<text x=\"2\" y=\"%d\" font-size=\"10\">%.4g</text>"
                + "<text x=\"%d\" y=\"%d\" font-size=\"10\">round %d</text><text x=\"%d\" y=\"%d\" font-size=\"10\">"
                + "round %d</text>", maxY, H - PAD, minY, PAD, H - PAD + 14, (int) minX, W - PAD - LEGEND - 50, H - PAD + 14,
                (int) maxX));
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String colour = COLOURS[c % COLOURS.length];
            StringBuilder pts = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            for (double[] p : e.getValue()) {
                if (!Double.isFinite(p[1])) {
                    continue;
                }
                double x = PAD + (p[0] - minX) / (maxX - minX) * (W - 2 * PAD - LEGEND);
                double y = 20 + (maxY - p[1]) / (maxY - minY) * (H - 20 - PAD);
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                dots.append(String.format(Locale.ROOT, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\""
                        + " fill=\"%s\" data-series=\"%s\" data-round=\"%d\" data-value=\"%s\"/>", x, y, colour,
                        Html.escape(e.getKey()), (int) p[0], Double.toString(p[1])));
            }
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"1.5\" points=\"")
                    .append(pts.toString().strip()).append("\"/>").append(dots);
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"10\" fill=\"%s\">%s</text>",
                    W - PAD - LEGEND + 4, 30 + 12 * c, colour, Html.escape(e.getKey())));
            c++;
        }
        return b.append("</svg>").toString();
    }
}
