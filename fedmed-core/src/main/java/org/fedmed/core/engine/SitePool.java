package org.fedmed.core.engine;

import java.time.Duration;
import java.util.List;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;

/**
 * The sites the round engine can reach, and how tasks get to them. In simulation this is a set of in-process
 * clients; in deployment it is the sites connected over the network. The engine does not know which.
 */
public interface SitePool {

    /** Ids of the sites that can take tasks now. */
    List<String> availableSites();

    /**
     * Sends each task to its site and reports every outcome to {@code sink} before returning. A site that
     * has not answered within {@code deadline} is reported as a {@link SiteFailure.Kind#TIMEOUT}. Calls to the
     * sink are never concurrent.
     */
    void fit(List<FitTask> tasks, Duration deadline, OutcomeSink<FitResult> sink);

    /** As {@link #fit}, for evaluation. */
    void evaluate(List<EvalTask> tasks, Duration deadline, OutcomeSink<EvalResult> sink);
}
