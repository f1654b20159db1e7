package org.fedmed.deploy.site;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.TrainingSiteClient;
import org.fedmed.transport.site.TaskOffer;

/**
 * Which run a {@link GovernedSite} takes part in, and its state file for that run ({@link SiteStateFile}): it follows
 * the run the server names with each task, writes the training state after each fit of that run, and hands a state
 * saved by an earlier process of the site to the run's first client, only if it is that run's and kept for the same
 * strategy, model spec and layout. A saved state of another run is moved aside, named in the log; one of the same
 * run that does not match is refused, naming the file, and stays where it is. A server that names no run gets no
 * state written. Not thread-safe on its own: its site calls it under its own lock for the run's first task, and from
 * its one fit at a time.
 */
final class SiteRunState {

    private static final System.Logger LOG = System.getLogger(SiteRunState.class.getName());

    private final String siteId;
    private final Path file;
    private SiteStateFile.Contents saved;
    private volatile String run = "";
    private volatile String fingerprint = "";

    /**
     * @param file  the state file (null: the state lives in the site process only)
     * @param saved a state an earlier process of this site wrote there (null: none)
     */
    SiteRunState(String siteId, Path file, SiteStateFile.Contents saved) {
        if (saved != null && (file == null || !saved.siteId().equals(siteId))) {
            throw new IllegalArgumentException("site '" + siteId + "' was given the saved state of site '"
                    + saved.siteId() + "'" + (file == null ? " without its state file" : ""));
        }
        this.siteId = siteId;
        this.file = file;
        this.saved = saved;
    }

    /** The run of the latest task, as the server names it; empty when it names none. */
    String run() {
        return run;
    }

    /**
     * Makes the offer's run the current one; returns true when it replaces another run (the site then drops what it
     * kept for that one). An offer that names no run changes nothing.
     */
    boolean enter(TaskOffer offer) {
        if (offer.run().isEmpty()) {
            return false;
        }
        fingerprint = SiteStateFile.fingerprint(offer.strategy(), offer.modelSpec(), offer.layout());
        boolean other = !run.isEmpty() && !run.equals(offer.run());
        run = offer.run();
        return other;
    }

    /** Whether a saved state is waiting for its run's first task. */
    boolean hasSaved() {
        return saved != null;
    }

    /**
     * Restores a saved state into {@code client}, the fresh client of the entered run for {@code spec} (null when the
     * site trains with DP-SGD), or sets it aside when it belongs to another run. Returns why the task must be refused,
     * if it must: a state of this run kept for another model spec or plan, one that does not fit the client's model
     * or rows, or one a DP-SGD site cannot take.
     */
    Optional<String> restoreInto(TaskOffer offer, ModelSpec spec, TrainingSiteClient client) {
        SiteStateFile.Contents s = saved;
        if (s == null || offer.run().isEmpty()) {
            return Optional.empty();
        }
        if (!s.run().equals(offer.run())) {
            Path aside = file.resolveSibling(file.getFileName() + ".other-run");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                return Optional.of("site state file " + file + " belongs to run '" + s.run() + "', not to this task's"
                        + " run '" + offer.run() + "', and cannot be moved aside to " + aside + ": " + e.getMessage()
                        + "; move it away to let the site take part in this run");
            }
            saved = null;
            LOG.log(Level.WARNING, () -> "site '" + siteId + "': state file " + file + " belongs to run '" + s.run()
                    + "' (written after its round " + s.round() + "), not to run '" + offer.run() + "' that the server"
                    + " now runs; it is not used, and is kept as " + aside);
            return Optional.empty();
        }
        String asked = SiteStateFile.fingerprint(offer.strategy(), offer.modelSpec(), offer.layout());
        if (!s.fingerprint().equals(asked) || !s.spec().equals(spec)) {
            return Optional.of("site state file " + file + " was kept for run '" + s.run() + "' with model spec "
                    + s.spec().toJson() + " and plan fingerprint " + s.fingerprint() + ", but this task of that run has"
                    + " model spec " + spec.toJson() + " and plan fingerprint " + asked + " (strategy '"
                    + offer.strategy() + "', model " + offer.layout().entries() + "); the site does not use it. Move it"
                    + " away to let the site take part without its saved state");
        }
        if (client == null) {
            return Optional.of("site state file " + file + " holds the state of a site that trains without DP-SGD,"
                    + " but this site trains with DP-SGD; move it away");
        }
        try {
            client.restoreTrainingState(s.state());
        } catch (RuntimeException e) {
            return Optional.of("site state file " + file + " of run '" + s.run() + "' cannot be restored: "
                    + e.getMessage() + "; the site does not use it. Move it away to let the site take part without"
                    + " its saved state");
        }
        saved = null;
        LOG.log(Level.INFO, () -> "site '" + siteId + "': restored its state of run '" + s.run() + "' after round "
                + s.round() + " from " + file);
        return Optional.empty();
    }

    /**
     * Writes {@code client}'s training state after its fit of {@code round}, when there is a file and a run.
     *
     * @throws java.io.UncheckedIOException naming the file, if it cannot be written
     */
    void save(ModelSpec spec, TrainingSiteClient client, int round) {
        String r = run;
        if (file == null || r.isEmpty()) {
            return;
        }
        try {
            SiteStateFile.write(file, new SiteStateFile.Contents(siteId, r, round, spec, fingerprint,
                    client.trainingState()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("site '" + siteId + "', round " + round + ": cannot write its state"
                    + " file " + file + " (" + e.getMessage() + "); the fit's result is not sent, as a restart of this"
                    + " site would lose what the fit changed", e);
        }
    }

    /** Deletes the state file: the run is over. */
    void ended() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
