package org.fedmed.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fedmed.sim.ExperimentProgress;

/**
 * Shows an experiment's phases as progress bars on a terminal. When output is not a terminal (a CI log, a
 * pipe) it prints a line as each phase starts and ends, and one at every tenth of a phase with its status (the
 * loss, and the epsilon spent for a private run), instead of redrawing a bar. Notes (site failures)
 * are printed on their own line either way.
 */
final class ProgressBarReporter implements ExperimentProgress {

    private final PrintStream out;
    private final boolean interactive;
    private ProgressBar bar;
    private String phase;
    private int steps;
    private int total;
    private long phaseStart;

    /** Progress on standard error, drawn as bars when it is a terminal; nothing when {@code disabled}. */
    static ExperimentProgress onStderr(boolean disabled) {
        if (disabled) {
            return ExperimentProgress.SILENT;
        }
        return new ProgressBarReporter(System.err, System.console() != null && System.console().isTerminal());
    }

    ProgressBarReporter(PrintStream out, boolean interactive) {
        this.out = out;
        this.interactive = interactive;
    }

    @Override
    public void phase(String name, int total) {
        phaseDone();
        phase = name;
        steps = 0;
        this.total = total;
        phaseStart = System.nanoTime();
        if (interactive) {
            bar = new ProgressBarBuilder().setTaskName(String.format("%-22s", name)).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(out)).build();
        } else {
            out.printf(Locale.ROOT, "%s: %d steps...%n", name, total);
        }
    }

    @Override
    public void step(String detail) {
        steps++;
        if (bar != null) {
            bar.step();
            bar.setExtraMessage(detail);
        } else if (total >= 10 && steps % (total / 10) == 0 && !detail.isBlank()) {
            out.printf(Locale.ROOT, "%s: %d/%d %s%n", phase, steps, total, detail);
        }
    }

    @Override
    public void phaseDone() {
        if (phase == null) {
            return;
        }
        if (bar != null) {
            bar.close();
            bar = null;
        } else {
            out.printf(Locale.ROOT, "%s: done, %d steps in %.1f s%n", phase, steps, (System.nanoTime() - phaseStart) / 1e9);
        }
        phase = null;
    }

    @Override
    public void note(String message) {
        if (interactive) {
            out.println();
        }
        out.println("  ! " + message);
    }
}
