package org.fedmed.ml;

import java.util.Map;
import org.fedmed.core.FitTask;

/**
 * How a {@link TrainingSiteClient} trains its fits: the {@link TrainingSeams} its one {@link Trainer} runs each fit
 * with, what the site checks before a fit trains and what it records and reports after. {@link #PLAIN} is ordinary
 * training that reports the training loss; DP-SGD ({@code DpSgdTraining} in {@code fedmed-privacy}) adds the
 * site's privacy account, refuses a fit over its budget, and reports only its epsilon. The site calls a mode's
 * methods for one fit at a time, in the order admit, seams, completed; {@link #completed} runs only for a fit whose
 * training succeeded. A Ditto fit trains twice over the site's rows, the global model and then the personal one;
 * the personal model's training takes its seams from {@link #seams} for the fit with {@link #personalSeed} as seed.
 */
public interface SiteTraining {

    /** The model's mini-batch gradient over shuffled passes; the fit reports {@code loss}. */
    SiteTraining PLAIN = new SiteTraining() {
        @Override
        public TrainingSeams seams(Model model, FitTask task) {
            return TrainingSeams.PLAIN;
        }

        @Override
        public Map<String, Double> completed(FitTask task, int trainRows, TrainingResult result) {
            return Map.of("loss", result.lastEpochLoss());
        }
    };

    /**
     * Refuses {@code task} before any training, by throwing an exception that names the site and says why; the
     * default accepts every fit. DP-SGD refuses here a fit that would take the site past its privacy budget.
     *
     * @param trainRows the site's training rows
     */
    default void admit(String siteId, FitTask task, int trainRows) {
    }

    /** The seams {@code task} trains with; a gradient that draws noise takes its stream from the task's seed. */
    TrainingSeams seams(Model model, FitTask task);

    /**
     * The seed Ditto's personal model trains with in {@code task}: its batches, its dropout and, through
     * {@link #seams}, its noise. The default is the fit's own seed, so plain Ditto's personal model takes the same
     * batches as the global model (over its own batch cursor); DP-SGD gives it a seed of its own, so that the two
     * trainings sample their batches independently, as composing both in one accountant assumes.
     */
    default long personalSeed(FitTask task) {
        return task.config().seed();
    }

    /**
     * Records the successful fit {@code task} (its steps, for an accountant) and returns the training metrics the
     * site sends with its update.
     */
    Map<String, Double> completed(FitTask task, int trainRows, TrainingResult result);
}
