package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.site.SiteConfig;
import org.fedmed.deploy.site.SiteLogVerifier;
import org.fedmed.deploy.site.SiteProcess;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.pki.MissingKitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed site}: a site process that dials the federation server and trains on the site's own data. */
@Command(name = "site", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs a site: loads its own data, dials the federation server over mutual TLS and",
                "answers only the tasks its allow-list approves, logging each to its audit log. Only",
                "parameters and aggregate metrics leave the site. Serves until stopped (with --once,",
                "until the run it took part in ends: exit status 0); exits with status 3 if the server",
                "refuses the site's certificate, at once or later when it is revoked."})
final class SiteCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The site config (YAML).")
    Path config;
    @Option(names = "--verify-audit", description = {"Only check the hash chains of the site's audit log and privacy",
            "ledger, naming the first broken line; exit status " + AuditVerdict.BROKEN + " if one is broken."})
    boolean verifyAudit;
    @Option(names = "--allow-readable-key", description = "Start even if the kit's key file is readable by others"
            + " (warns); by default such a key is refused.")
    boolean allowReadableKey;
    @Option(names = "--once", description = "Leave (exit status 0) when the run this site took part in ends,"
            + " instead of waiting for the next one.")
    boolean once;
    @picocli.CommandLine.Mixin
    LogOptions log = new LogOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (verifyAudit) {
            AuditVerdict verdict = new AuditVerdict(out);
            for (SiteLogVerifier.Verified v : SiteLogVerifier.verify(SiteConfig.load(config))) {
                verdict.report(v.log() + " " + v.file(), v.report());
            }
            return verdict.exitStatus();
        }
        SiteProcess site;
        try {
            SiteConfig cfg = SiteConfig.load(config);
            KeyFilePolicy keys = allowReadableKey ? KeyFilePolicy.ALLOW_READABLE : KeyFilePolicy.REQUIRE_OWNER_ONLY;
            if (log.format() == org.fedmed.server.log.LogFormat.JSON) {
                out = log.console(out, "site", org.fedmed.pki.SiteKit.load(cfg.kit(), keys).site());
            }
            site = SiteProcess.start(cfg, DatasetRegistry.fromEnvironment(), out, keys);
        } catch (MissingKitException e) {
            throw e.namedBy(config, "kit");
        }
        Thread stopper = new Thread(site::close, "fedmed-site-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return site.serve(once);
        } finally {
            site.close();
        }
    }
}
