package org.fedmed.deploy.site;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.stats.DatasetFingerprint;
import org.fedmed.deploy.stats.StatsCodec;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.pki.SiteKit;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * The site process behind {@code fedmed site}: it loads the site's own data, dials the federation server with the
 * site's startup kit (sites dial out; nothing dials in), and answers only the tasks its allow-list approves,
 * recording each in its audit log; with {@code privacy.dp_sgd} in its config it trains with its own DP-SGD, and
 * it adds the DP-FedAvg noise a fit asks for within its {@code privacy.update_noise} bounds. It reports its dataset definition's fingerprint when it joins, and answers the statistics exchange before round 1
 * ({@link SiteStatisticsResponder}), from which it builds its preprocessing. It
 * serves until it is stopped, redialing with backoff whenever the connection drops (each dial on a fresh channel,
 * so it is back within {@link SiteSettings#reconnectBound()} of the server listening again); it ends when the server
 * refuses its certificate, at Hello or later when it is revoked, and, when asked to serve one run only, when the
 * server announces that the run has ended. When a run ends in which its fits kept a personal model (FedPer or
 * Ditto), it writes that model beside its audit log ({@link SitePersonalModelFile}) before it waits for the next run;
 * it rewrites that file after every evaluation of the run too. After every fit it keeps its training state in its
 * state file ({@link SiteStateFile}), which a restarted process reads when it starts (a corrupt one stops the start,
 * naming the file) and restores when the server's next task belongs to the same run. A site whose
 * {@code data.definition} is a model family's dataset definition (fedmed-imaging's images, found through the
 * {@link org.fedmed.ml.ModelSpecFamily} service) trains that family's models instead, behind the same allow-list
 * ({@link ModelFamilySite}), with no statistics exchange, state file or personal model; with {@code privacy.dp_sgd}
 * its fits train with DP-SGD, charged to its privacy ledger.
 */
public final class SiteProcess implements AutoCloseable {

    /** The exit status when the server refused the site. */
    public static final int REFUSED = 3;

    private final PrintWriter out;
    private final JsonLinesAuditLog auditLog;
    private final SiteConnection connection;
    private final String siteId;
    private final GovernedSite site;
    private final java.nio.file.Path personalModel;
    private final java.nio.file.Path preprocessing;

    private final AutoCloseable familySite;

    private SiteProcess(PrintWriter out, JsonLinesAuditLog auditLog, SiteConnection connection, GovernedSite site,
                        java.nio.file.Path personalModel, java.nio.file.Path preprocessing) {
        this(out, auditLog, connection, site.siteId(), site, null, personalModel, preprocessing);
    }

    /** {@code site} null for a model family's site ({@code familySite}), which keeps no personal model. */
    private SiteProcess(PrintWriter out, JsonLinesAuditLog auditLog, SiteConnection connection, String siteId,
                        GovernedSite site, AutoCloseable familySite, java.nio.file.Path personalModel,
                        java.nio.file.Path preprocessing) {
        this.familySite = familySite;
        this.out = out;
        this.auditLog = auditLog;
        this.connection = connection;
        this.siteId = siteId;
        this.site = site;
        this.personalModel = personalModel;
        this.preprocessing = preprocessing;
    }

    /** Loads the kit and the data, opens the audit log and starts dialing; a key file others can read is refused. */
    public static SiteProcess start(SiteConfig config, DatasetRegistry registry, PrintWriter out) throws IOException {
        return start(config, registry, out, KeyFilePolicy.REQUIRE_OWNER_ONLY);
    }

    /** As {@link #start(SiteConfig, DatasetRegistry, PrintWriter)}, the kit's key file checked as {@code keys} says. */
    public static SiteProcess start(SiteConfig config, DatasetRegistry registry, PrintWriter out, KeyFilePolicy keys)
            throws IOException {
        return start(config, registry, out, keys, new SecureSumParticipants(RandomnessSource.system()));
    }

    /**
     * As {@link #start(SiteConfig, DatasetRegistry, PrintWriter, KeyFilePolicy)}, the site taking part in secure sums
     * with {@code secureSum} (by default its secagg client with the system's strong randomness).
     */
    public static SiteProcess start(SiteConfig config, DatasetRegistry registry, PrintWriter out, KeyFilePolicy keys,
                                    ExchangeParticipants secureSum) throws IOException {
        SiteKit kit = SiteKit.load(config.kit(), keys);
        java.util.Optional<org.fedmed.ml.ModelSpecFamily> family = config.data().definition() == null
                ? java.util.Optional.empty() : org.fedmed.ml.ModelSpecFamily.forDataset(config.data().definition());
        if (family.isPresent()) {
            return startFamily(config, registry, out, kit, family.get(), secureSum);
        }
        SiteRows rows = SiteDataLoader.rows(config.data(), kit.site(), registry);
        PrivacyLedger ledger = config.dpSgd() == null ? null : PrivacyLedger.open(ledgerFile(config.auditLog()));
        GovernedSite.SiteFiles files = GovernedSite.SiteFiles.beside(config.auditLog());
        java.util.Optional<SiteStateFile.Contents> saved = SiteStateFile.readIfPresent(files.state());
        GovernedSite site = new GovernedSite(kit.site(), config.policy(), config.dpSgd(), ledger, files,
                saved.orElse(null), config.updateNoise());
        java.nio.file.Path preprocessing = SitePreprocessingFile.beside(config.auditLog());
        java.util.function.Consumer<LocalData> prepared = data -> {
            data.site().warnings().forEach(w -> out.println("warning: " + w));
            try {
                SitePreprocessingFile.write(data, config.data(), preprocessing);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("site '" + kit.site() + "': cannot write its preprocessing to "
                        + preprocessing + ": " + e.getMessage(), e);
            }
            out.printf("preprocessing fitted on this site's training rows written to %s%n", preprocessing);
            out.flush();
        };
        if (!config.data().needsMergedStatistics()) {
            LocalData alone = rows.prepareAlone();
            site.prepare(alone);
            prepared.accept(alone);
        }
        DatasetFingerprint definition = DatasetFingerprint.of(rows.definition().schema());
        var credentials = MutualTls.siteCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey());
        JsonLinesAuditLog auditLog = new JsonLinesAuditLog(config.auditLog());
        WireLimits limits = WireLimits.defaults();
        SiteConnection connection = SiteConnection.dialing(SiteChannels.dialer(kit.server().host(), kit.server().port(),
                credentials, limits), SiteSettings.of(kit.site()).withLimits(limits)
                .withDefinition(StatsCodec.report(definition)), site, site, auditLog)
                .answeringStatistics(new SiteStatisticsResponder(rows, site, out, prepared))
                .keepingUpdatesWith(secureSum);
        out.printf("fedmed site '%s' of federation '%s': %d training and %d test rows, %d raw feature columns, from"
                        + " %s; dataset '%s' definition fingerprint %s%n", kit.site(), kit.federation(),
                rows.train().rows(), rows.test().rows(), rows.train().cols(), rows.source(), rows.definition().name(),
                definition.sha256());
        out.printf("preprocessing: %s statistics%s%n", config.data().stats().name().toLowerCase(Locale.ROOT),
                config.data().needsMergedStatistics() ? ", from the statistics exchange before round 1" : "");
        out.printf("allow-list: tasks %s, strategies %s, %d model spec(s), at most %d local epochs (or %d local steps)"
                        + ", prox_mu %s, ditto lambda %s, personal layers %s and %d parameters; audit log %s%n",
                config.allow().taskNames(), config.allow().strategies(), config.allow().modelSpecs().size(),
                config.allow().maxLocalEpochs(), config.allow().maxLocalSteps(), config.allow().maxProxMu(),
                config.allow().maxDittoLambda(), config.allow().personalLayers() ? "allowed" : "refused",
                config.allow().maxParameters(), config.auditLog());
        out.printf("privacy: %s%n", config.dpSgdSettings().map(dp -> dp.describe()
                + "; the spent epsilon is logged after each fit").orElse("no site-level DP-SGD"));
        out.printf("update noise: %s%n", config.updateNoise().describe());
        out.printf("secure aggregation: %s; X25519 on %s%n", config.requireSecureAggregation()
                ? "required (fits that would send the update in the clear are refused)"
                : "taken part in when the server asks; not required",
                org.fedmed.secagg.crypto.X25519.implementation());
        if (ledger != null) {
            out.printf(java.util.Locale.ROOT, "privacy ledger %s: epsilon %.4g spent so far%n", ledger.file(),
                    site.epsilonSpent().orElse(0.0));
        }
        saved.ifPresentOrElse(st -> out.printf("site state %s: run '%s' after round %d; restored at that run's next"
                        + " task (a task of another run sets it aside)%n", files.state(), st.run(), st.round()),
                () -> out.printf("site state: %s%n", config.dpSgd() == null ? "written to " + files.state()
                        + " after every fit of a run the server names" : "none kept (DP-SGD: the privacy ledger"
                        + " carries the account)"));
        out.printf("dialing %s%n", kit.server());
        out.flush();
        connection.start();
        return new SiteProcess(out, auditLog, connection, site, SitePersonalModelFile.beside(config.auditLog()),
                preprocessing);
    }

    /**
     * A site whose {@code data.definition} is a model family's dataset definition (fedmed-imaging's images): it trains
     * the family's models behind its allow-list ({@link ModelFamilySite}), with no statistics exchange, definition
     * fingerprint, state file or personal model. Site-level DP-SGD is refused for it.
     */
    private static SiteProcess startFamily(SiteConfig config, DatasetRegistry registry, PrintWriter out, SiteKit kit,
                                           org.fedmed.ml.ModelSpecFamily family, ExchangeParticipants secureSum)
            throws IOException {
        String member = config.data().site() == null ? kit.site() : config.data().site();
        PrivacyLedger ledger = config.dpSgd() == null ? null : PrivacyLedger.open(ledgerFile(config.auditLog()));
        ModelFamilySite site = new ModelFamilySite(kit.site(), member, config.policy(), family,
                config.data().definition(), registry.searchRoots(), config.data().seed(),
                config.dpSgdSettings().orElse(null), ledger);
        // read the data before dialing, so a file that does not fit stops the start naming it
        for (org.fedmed.ml.ModelSpec spec : config.allow().modelSpecs()) {
            if (spec instanceof org.fedmed.ml.ModelSpec.Extension ext && family.types().contains(spec.type())) {
                var opened = site.site(ext);
                out.printf("fedmed site '%s' of federation '%s': %d training and %d test images from %s for model %s%n",
                        kit.site(), kit.federation(), opened.trainCount(), opened.testCount(),
                        config.data().definition(), spec.toJson());
            }
        }
        var credentials = MutualTls.siteCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey());
        JsonLinesAuditLog auditLog = new JsonLinesAuditLog(config.auditLog());
        WireLimits limits = WireLimits.defaults();
        SiteConnection connection = SiteConnection.dialing(SiteChannels.dialer(kit.server().host(), kit.server().port(),
                credentials, limits), SiteSettings.of(kit.site()).withLimits(limits), site, site, auditLog)
                .keepingUpdatesWith(secureSum);
        out.printf("allow-list: tasks %s, strategies %s, %d model spec(s), at most %d local epochs (or %d local steps)"
                        + " and %d parameters; audit log %s%n", config.allow().taskNames(), config.allow().strategies(),
                config.allow().modelSpecs().size(), config.allow().maxLocalEpochs(), config.allow().maxLocalSteps(),
                config.allow().maxParameters(), config.auditLog());
        out.printf("privacy: %s%n", config.dpSgdSettings().map(dp -> dp.describe() + "; epsilon "
                + String.format(Locale.ROOT, "%.4g", site.epsilonSpent()) + " spent so far"
                + (ledger == null ? "" : " (ledger " + ledger.file() + ")")).orElse("no site-level DP-SGD"));
        out.printf("dialing %s%n", kit.server());
        out.flush();
        connection.start();
        return new SiteProcess(out, auditLog, connection, kit.site(), null, site,
                SitePersonalModelFile.beside(config.auditLog()), SitePreprocessingFile.beside(config.auditLog()));
    }

    /** The privacy ledger beside the audit log: {@code audit.jsonl} has {@code audit-privacy.jsonl}. */
    static java.nio.file.Path ledgerFile(java.nio.file.Path auditLog) {
        String name = auditLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return auditLog.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-privacy.jsonl");
    }

    /**
     * Serves until the server refuses the site or the process is stopped, printing each change of connection
     * state; returns {@link #REFUSED} after a refusal.
     */
    public int serve() throws InterruptedException {
        return serve(false);
    }

    /**
     * As {@link #serve()}; with {@code once}, also returns 0 as soon as the server announces that the run this site
     * took part in has ended.
     */
    public int serve(boolean once) throws InterruptedException {
        SiteConnection.State shown = null;
        String shownError = null;
        int runsEnded = 0;
        while (true) {
            if (connection.runsEnded() > runsEnded) {
                runsEnded = connection.runsEnded();
                writePersonalModel(runsEnded);
                out.printf(once ? "site '%s': the run it took part in has ended; leaving (--once)%n"
                        : "site '%s': the server's run has ended; waiting for the next one%n", siteId);
                out.flush();
                if (once) {
                    return 0;
                }
            }
            SiteConnection.State state = connection.state();
            String error = connection.lastError().orElse(null);
            if (state != shown || !Objects.equals(error, shownError)) {
                report(state, error);
                shown = state;
                shownError = error;
            }
            if (state == SiteConnection.State.REFUSED) {
                return REFUSED;
            }
            if (state == SiteConnection.State.CLOSED) {
                return 0;
            }
            connection.awaitConnected(Duration.ofMillis(250));
            if (connection.state() == SiteConnection.State.CONNECTED && shown == SiteConnection.State.CONNECTED) {
                Thread.sleep(250);
            }
        }
    }

    /** Writes the personal model the site kept in the run that just ended, if it kept one, and says where. */
    private void writePersonalModel(int runsEnded) {
        if (site == null) {
            return;
        }
        try {
            site.endRun(personalModel, preprocessing, "the server ended the run (run " + runsEnded + " this site"
                    + " process took part in)").ifPresent(file -> out.printf("site '%s': its personal model from this"
                    + " run is in %s (provenance beside it); it never left the site%n", siteId, file));
        } catch (java.io.IOException | RuntimeException e) {
            out.printf("error: site '%s' could not write its personal model to %s: %s%n", siteId, personalModel, e);
        }
        out.flush();
    }

    private void report(SiteConnection.State state, String error) {
        switch (state) {
            case CONNECTED -> out.printf("site '%s' joined the federation (join #%d)%n", siteId, connection.timesJoined());
            case REFUSED -> out.printf("error: the server refused site '%s': %s%n", siteId,
                    connection.refusal().orElse("no reason given"));
            case BACKING_OFF -> out.printf("site '%s' is not connected: %s; redialing with backoff%s%n", siteId, error,
                    hint(error));
            default -> {
                return;
            }
        }
        out.flush();
    }

    /** A hint for errors whose cause a site operator can fix. */
    static String hint(String error) {
        String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
        if (e.contains("certificate") || e.contains("handshake") || e.contains("ssl") || e.contains("tls")) {
            return ". The TLS handshake failed: check that this startup kit belongs to the server's federation"
                    + " (same CA) and that its certificate has not expired";
        }
        if (e.contains("connection refused") || e.contains("unavailable")) {
            return ". Check that the server runs and that this site can reach it";
        }
        return "";
    }

    /** Leaves the federation, stops dialing and closes the audit log. */
    @Override
    public void close() {
        connection.close();
        auditLog.close();
        if (familySite != null) {
            try {
                familySite.close();
            } catch (Exception e) {
                out.printf("error: site '%s' could not free its model: %s%n", siteId, e);
                out.flush();
            }
        }
    }
}
