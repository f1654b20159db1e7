package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedmed.dashboard.Dashboard;
import org.fedmed.dashboard.DashboardSettings;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.OperatorToken;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed dashboard}: serves the web dashboard and Prometheus endpoint over any run store, read-only. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serves the web dashboard and /metrics over a run store, read through a read-only",
                "connection (a server writing to it is never blocked). With --kit: HTTPS with the server kit's",
                "certificate and its operator.token. With --insecure-local-only: plain HTTP on 127.0.0.1 with a",
                "token made for this process and printed. Runs until SIGINT or SIGTERM."})
final class DashboardCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "FILE", description = "The run store (SQLite file).")
    Path store;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Security security;

    static final class Security {
        @Option(names = "--kit", paramLabel = "DIR", description = "The server kit: its server.pem, server.key and"
                + " operator.token.")
        Path kit;
        @Option(names = "--insecure-local-only", description = "Plain HTTP on 127.0.0.1 only, with a fresh token.")
        boolean insecureLocalOnly;
    }

    @Option(names = "--host", paramLabel = "HOST", description = "The interface to listen on (with --kit). Default:"
            + " ${DEFAULT-VALUE}.")
    String host = DashboardSettings.DEFAULT_HOST;
    @Option(names = "--port", paramLabel = "PORT", description = "The port. Default: ${DEFAULT-VALUE}.")
    int port = 8480;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DashboardSettings settings;
        if (security.kit != null) {
            settings = new DashboardSettings(store, host, port, OperatorToken.read(security.kit), null,
                    java.time.Duration.ofSeconds(1)).withTls(new DashboardSettings.Tls(
                    security.kit.resolve(KitLayout.SERVER_CERTIFICATE), security.kit.resolve(KitLayout.SERVER_KEY)));
        } else {
            if (!DashboardSettings.DEFAULT_HOST.equals(host)) {
                throw new IllegalArgumentException("option '--host': --insecure-local-only serves 127.0.0.1 only,"
                        + " got '" + host + "'; use --kit to serve another interface over TLS");
            }
            settings = DashboardSettings.local(store, OperatorToken.generate(new SecureRandom()))
                    .withAddress(host, port);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (Dashboard d = Dashboard.start(settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "fedmed-dashboard-stop"));
            out.printf("dashboard of %s on %s%n", store, d.url());
            if (security.kit == null) {
                out.printf("open %s/?token=%s (token valid while this process runs)%n", d.url(),
                        settings.token().value());
            } else {
                out.printf("open %s/?token=<operator.token of %s> once; scripts send Authorization: Bearer <token>%n",
                        d.url(), security.kit);
            }
            out.flush();
            stop.await();
        }
        return 0;
    }
}
