package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.site.SiteConfig;
import org.fedmed.deploy.site.SiteProcess;
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
    @Option(names = "--once", description = "Leave (exit status 0) when the run this site took part in ends,"
            + " instead of waiting for the next one.")
    boolean once;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        SiteProcess site = SiteProcess.start(SiteConfig.load(config), DatasetRegistry.fromEnvironment(), out);
        Thread stopper = new Thread(site::close, "fedmed-site-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            return site.serve(once);
        } finally {
            site.close();
        }
    }
}
