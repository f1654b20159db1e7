package org.fedmed.sim.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.survival.KaplanMeier;
import org.fedmed.data.survival.SurvivalReport;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the pooled curves of a survival report as a PNG: each curve a step function over its pooled bins (survival
 * past bin i held from the bin's start to the next), with its confidence band as dashed steps, and the log-rank
 * p-value in the title when there is one. Nothing but the report's released figures is drawn.
 */
public final class KaplanMeierPlot {

    /** Writes the plot of {@code report} to {@code png}. */
    public Path write(SurvivalReport report, Path png) {
        try {
            BitmapEncoder.saveBitmap(chart(report), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            return png;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Kaplan-Meier plot to " + png + ": " + IoProblems.describe(e), e);
        }
    }

    static XYChart chart(SurvivalReport report) {
        String title = (report.estimator() == org.fedmed.data.survival.SurvivalEstimator.ACTUARIAL ? "Actuarial"
                : "Kaplan-Meier") + " curves of " + report.dataset() + " ("
                + report.query().timeColumn() + ", " + Math.round(report.confidence() * 100) + "% band)"
                + report.logRank().map(t -> String.format(java.util.Locale.ROOT, "; log-rank p = %.3g", t.pValue()))
                .orElse("");
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle(report.query().timeColumn()).yAxisTitle("survival").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        java.awt.Color[] palette = {new java.awt.Color(0x1f77b4), new java.awt.Color(0xff7f0e),
                new java.awt.Color(0x2ca02c)};
        int at = 0;
        for (SurvivalReport.Curve c : report.curves()) {
            KaplanMeier km = c.curve();
            java.awt.Color color = palette[at++ % palette.length];
            XYSeries s = chart.addSeries(c.group() + " (" + km.atRisk()[0] + " at risk)", xs(km),
                    steps(km.survival()));
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(color);
            XYSeries lo = chart.addSeries(c.group() + " lower", xs(km), steps(km.lower()));
            XYSeries hi = chart.addSeries(c.group() + " upper", xs(km), steps(km.upper()));
            for (XYSeries band : List.of(lo, hi)) {
                band.setMarker(SeriesMarkers.NONE);
                band.setLineStyle(SeriesLines.DASH_DASH);
                band.setLineColor(color);
                band.setShowInLegend(false);
            }
        }
        return chart;
    }

    /** x of the steps: each edge twice (where the curve drops, and where the next bin starts). */
    private static List<Double> xs(KaplanMeier km) {
        List<Double> x = new ArrayList<>();
        for (int i = 0; i < km.count(); i++) {
            x.add(km.bins().edge(i));
            x.add(km.bins().edge(i));
        }
        x.add(km.bins().end());
        return x;
    }

    /** y of the steps: 1 before the first bin, then each bin's value over it. */
    private static List<Double> steps(double[] v) {
        List<Double> y = new ArrayList<>();
        double before = 1;
        for (double value : v) {
            y.add(before);
            y.add(value);
            before = value;
        }
        y.add(before);
        return y;
    }
}
