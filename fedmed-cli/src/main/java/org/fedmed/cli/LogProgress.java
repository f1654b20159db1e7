package org.fedmed.cli;

import java.util.Locale;
import org.fedmed.server.log.EventLog;
import org.fedmed.sim.ExperimentProgress;

/**
 * An experiment's progress as log events, for {@code --log-format json}: {@code phase.started},
 * {@code phase.progress} at every tenth of a phase with its status, {@code phase.done} with the time taken, and
 * notes (site failures) as {@code WARN} events {@code note}.
 */
final class LogProgress implements ExperimentProgress {

    private final EventLog log;
    private String phase;
    private int steps;
    private int total;
    private long start;

    LogProgress(EventLog log) {
        this.log = log;
    }

    @Override
    public void phase(String name, int total) {
        phaseDone();
        phase = name;
        steps = 0;
        this.total = total;
        start = System.nanoTime();
        log.info("phase.started", String.format(Locale.ROOT, "%s: %d steps", name, total), null, null);
    }

    @Override
    public void step(String detail) {
        steps++;
        if (total >= 10 && steps % (total / 10) == 0) {
            log.info("phase.progress", String.format(Locale.ROOT, "%s: %d/%d %s", phase, steps, total, detail).strip(),
                    null, null);
        }
    }

    @Override
    public void phaseDone() {
        if (phase == null) {
            return;
        }
        log.info("phase.done", String.format(Locale.ROOT, "%s: done, %d steps in %.1f s", phase, steps,
                (System.nanoTime() - start) / 1e9), null, null);
        phase = null;
    }

    @Override
    public void note(String message) {
        log.log(EventLog.Level.WARN, "note", message, null, null);
    }
}
