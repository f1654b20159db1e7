package org.fedmed.sim.report;

import java.util.List;
import java.util.Locale;

/**
 * A line chart drawn as inline SVG markup, for the HTML report: axes with five ticks each, one polyline per
 * series in a fixed palette, and a legend; or a calibration chart, the same with a marker per point and the line
 * y = x. It references nothing outside itself (no fonts, no scripts, no
 * namespace URL, which an SVG inside HTML does not need), so the page it sits in opens offline.
 */
final class SvgChart {

    /** One named series of (x, y) points; points with a NaN y are left out. */
    record Series(String name, List<double[]> points) {
        Series {
            points = points.stream().filter(p -> !Double.isNaN(p[1])).toList();
        }
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int W = 640;
    private static final int H = 340;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 30;
    private static final int BOTTOM = 45;

    private SvgChart() {
    }

    /** The chart, or an empty string when no series has a point. */
    static String lines(String title, String xLabel, String yLabel, List<Series> series) {
        List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return "";
        }
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : drawn) {
            for (double[] p : s.points()) {
                x0 = Math.min(x0, p[0]);
                x1 = Math.max(x1, p[0]);
                y0 = Math.min(y0, p[1]);
                y1 = Math.max(y1, p[1]);
            }
        }
        if (x1 == x0) {
            x0 -= 1;
            x1 += 1;
        }
        if (y1 == y0) {
            double pad = Math.abs(y0) > 0 ? Math.abs(y0) * 0.05 : 1;
            y0 -= pad;
            y1 += pad;
        }
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder b = frame(title, xLabel, yLabel, x0, x1, y0, y1);
        for (int s = 0; s < drawn.size(); s++) {
            Series line = drawn.get(s);
            String colour = PALETTE[s % PALETTE.length];
            StringBuilder pts = new StringBuilder();
            for (double[] p : line.points()) {
                pts.append(String.format(Locale.ROOT, "%.2f,%.2f ", LEFT + plotW * (p[0] - x0) / (x1 - x0),
                        TOP + plotH - plotH * (p[1] - y0) / (y1 - y0)));
            }
            b.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" fill=\"none\""
                    + " stroke=\"%s\" stroke-width=\"2\" points=\"%s\"><title>%s</title></polyline>",
                    Html.escape(line.name()), colour, pts.toString().strip(), Html.escape(line.name())));
            double ly = TOP + 12 + 16 * s;
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                    + " stroke-width=\"3\"/>", LEFT + plotW + 10, ly - 4, LEFT + plotW + 28, ly - 4, colour));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>",
                    LEFT + plotW + 32, ly, Html.escape(line.name())));
        }
        return b.append("</svg>").toString();
    }

    /** The svg element opened, with title, plot area, grid, ticks and axis labels for the given ranges. */
    private static StringBuilder frame(String title, String xLabel, String yLabel, double x0, double x1, double y0,
                                       double y1) {
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\""
                + " role=\"img\">", W, H, W, H));
        b.append("<title>").append(Html.escape(title)).append("</title>");
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" class=\"ctitle\">%s</text>", LEFT,
                Html.escape(title)));
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" class=\"plot\"/>",
                LEFT, TOP, plotW, plotH));
        for (int i = 0; i <= 4; i++) {
            double fy = y0 + (y1 - y0) * i / 4;
            double py = TOP + plotH - plotH * i / 4;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>",
                    LEFT, py, LEFT + plotW, py));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"ytick\">%s</text>", LEFT - 6,
                    py + 4, tick(fy)));
            double fx = x0 + (x1 - x0) * i / 4;
            double px = LEFT + plotW * i / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"xtick\">%s</text>", px,
                    TOP + plotH + 16, tick(fx)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"xlabel\">%s</text>",
                LEFT + plotW / 2, H - 8, Html.escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%.1f\" class=\"ylabel\" transform=\"rotate(-90 14 %.1f)\">%s</text>",
                TOP + plotH / 2, TOP + plotH / 2, Html.escape(yLabel)));
        return b;
    }

    /**
     * A calibration chart: each series' points (mean predicted, mean observed) as markers joined by a line, over the
     * dashed line y = x, with the same range on both axes so that the line is the diagonal. Each marker is a
     * {@code circle} carrying {@code data-series}, {@code data-bin} (its position in the series, from 1),
     * {@code data-x} and {@code data-y}, the exact numbers given. An empty string when no series has a point.
     */
    static String calibration(String title, String xLabel, String yLabel, List<Series> series) {
        List<Series> drawn = series.stream().filter(s -> !s.points().isEmpty()).toList();
        if (drawn.isEmpty()) {
            return "";
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : drawn) {
            for (double[] p : s.points()) {
                lo = Math.min(lo, Math.min(p[0], p[1]));
                hi = Math.max(hi, Math.max(p[0], p[1]));
            }
        }
        if (hi == lo) {
            double pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.05 : 1;
            lo -= pad;
            hi += pad;
        }
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        StringBuilder b = frame(title, xLabel, yLabel, lo, hi, lo, hi);
        b.append(String.format(Locale.ROOT, "<line class=\"identity\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%d\""
                + " stroke=\"#999\" stroke-dasharray=\"5,4\"><title>y = x</title></line>", LEFT, TOP + plotH,
                LEFT + plotW, TOP));
        for (int s = 0; s < drawn.size(); s++) {
            Series line = drawn.get(s);
            String colour = PALETTE[s % PALETTE.length];
            StringBuilder pts = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            for (int i = 0; i < line.points().size(); i++) {
                double[] p = line.points().get(i);
                double px = LEFT + plotW * (p[0] - lo) / (hi - lo);
                double py = TOP + plotH - plotH * (p[1] - lo) / (hi - lo);
                pts.append(String.format(Locale.ROOT, "%.2f,%.2f ", px, py));
                marks.append(String.format(Locale.ROOT, "<circle class=\"point\" data-series=\"%s\" data-bin=\"%d\""
                        + " data-x=\"%s\" data-y=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"3\" fill=\"%s\"/>",
                        Html.escape(line.name()), i + 1, p[0], p[1], px, py, colour));
            }
            b.append(String.format(Locale.ROOT, "<polyline class=\"series\" data-series=\"%s\" fill=\"none\""
                    + " stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"><title>%s</title></polyline>",
                    Html.escape(line.name()), colour, pts.toString().strip(), Html.escape(line.name())));
            b.append(marks);
            legend(b, s, colour, line.name());
        }
        return b.append("</svg>").toString();
    }

    private static void legend(StringBuilder b, int s, String colour, String name) {
        double plotW = W - LEFT - RIGHT;
        double ly = TOP + 12 + 16 * s;
        b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-width=\"3\"/>", LEFT + plotW + 10, ly - 4, LEFT + plotW + 28, ly - 4, colour));
        b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%s</text>",
                LEFT + plotW + 32, ly, Html.escape(name)));
    }

    private static String tick(double v) {
        return Math.abs(v) >= 1000 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
    }
}
