package org.fedmed.dashboard;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A line chart drawn on the server as inline SVG, so the dashboard needs no script library and no network. Each
 * series is a polyline over the rounds. Every point of the first series (the global curve) also carries a
 * {@code data-round} and {@code data-value} attribute with the exact value, so a page dump shows the numbers behind
 * the curve; the other series (one per site) carry them too while the chart has at most {@value #MAX_DOTS} of their
 * points, and beyond that are drawn as plain polylines of at most {@value #MAX_LINE_POINTS} points each (every k-th
 * round, the last always kept), which bounds the page of a 1000-round, 100-site run to about 400 KiB per chart.
 * The legend names the first {@value #MAX_LEGEND} series and counts the rest.
 */
final class SvgChart {

    /** Points of the non-first series drawn as dots with their values, at most, per chart. */
    static final int MAX_DOTS = 4000;
    /** Points of one thinned polyline, at most (one per two or three pixel columns of the plot). */
    static final int MAX_LINE_POINTS = 200;
    static final int MAX_LEGEND = 12;

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
        int others = 0;
        boolean first = true;
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
            if (!first) {
                others += s.size();
            }
            first = false;
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
        double sx = (W - 2 * PAD - LEGEND) / (maxX - minX);
        double sy = (H - 20 - PAD) / (maxY - minY);
        boolean otherDots = others <= MAX_DOTS;
        int c = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String colour = COLOURS[c % COLOURS.length];
            boolean dots = c == 0 || otherDots;
            List<double[]> pts = e.getValue();
            // every step-th point and the last: at most MAX_LINE_POINTS in all
            int step = dots ? 1 : Math.max(1, (pts.size() - 1 + MAX_LINE_POINTS - 2) / (MAX_LINE_POINTS - 1));
            b.append("<polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"")
                    .append(c == 0 ? "2" : "1").append("\" points=\"");
            boolean any = false;
            for (int i = 0; i < pts.size(); i++) {
                double[] p = pts.get(i);
                if (!Double.isFinite(p[1]) || (i % step != 0 && i != pts.size() - 1)) {
                    continue;
                }
                if (any) {
                    b.append(' ');
                }
                coordinate(b, PAD + (p[0] - minX) * sx).append(',');
                coordinate(b, 20 + (maxY - p[1]) * sy);
                any = true;
            }
            b.append("\"/>");
            if (dots) {
                String name = Html.escape(e.getKey());
                for (double[] p : pts) {
                    if (!Double.isFinite(p[1])) {
                        continue;
                    }
                    b.append("<circle class=\"point\" cx=\"");
                    coordinate(b, PAD + (p[0] - minX) * sx).append("\" cy=\"");
                    coordinate(b, 20 + (maxY - p[1]) * sy).append("\" r=\"2\" fill=\"").append(colour)
                            .append("\" data-series=\"").append(name).append("\" data-round=\"").append((int) p[0])
                            .append("\" data-value=\"").append(p[1]).append("\"/>");
                }
            }
            if (c < MAX_LEGEND) {
                b.append("<text x=\"").append(W - PAD - LEGEND + 4).append("\" y=\"").append(30 + 12 * c)
                        .append("\" font-size=\"10\" fill=\"").append(colour).append("\">")
                        .append(Html.escape(e.getKey())).append("</text>");
            }
            c++;
        }
        if (c > MAX_LEGEND) {
            b.append("<text x=\"").append(W - PAD - LEGEND + 4).append("\" y=\"").append(30 + 12 * MAX_LEGEND)
                    .append("\" font-size=\"10\">+").append(c - MAX_LEGEND).append(" more</text>");
        }
        return b.append("</svg>").toString();
    }

    /** A coordinate with one decimal, as {@code %.1f} writes it, without the cost of a format string. */
    private static StringBuilder coordinate(StringBuilder b, double v) {
        long tenths = Math.round(v * 10);
        if (tenths < 0) {
            b.append('-');
            tenths = -tenths;
        }
        return b.append(tenths / 10).append('.').append(tenths % 10);
    }
}
