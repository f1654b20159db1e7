package org.fedmed.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedmed.sim.ExperimentProgress;

/** Draws an experiment's phases as terminal progress bars; notes (site failures) print above the bar. */
final class ProgressBarReporter implements ExperimentProgress {

    private final PrintStream out;
    private ProgressBar bar;

    ProgressBarReporter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void phase(String name, int steps) {
        phaseDone();
        bar = new ProgressBarBuilder().setTaskName(String.format("%-22s", name)).setInitialMax(steps)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate()
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out)).build();
    }

    @Override
    public void step(String detail) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(detail);
        }
    }

    @Override
    public void phaseDone() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void note(String message) {
        out.println();
        out.println("  ! " + message);
    }
}
