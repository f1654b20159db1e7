package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.server.ServerConfig;
import org.fedmed.deploy.server.ServerProcess;
import org.fedmed.pki.KeyFilePolicy;
import org.fedmed.pki.MissingKitException;
import org.fedmed.server.run.FallbackPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed server}: the federation server process; sites dial in over mutual TLS and it runs the rounds. */
@Command(name = "server", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the federation server: admits sites by the federation's certificates, waits for",
                "enough of them, runs the rounds, and records every round (SQLite run store, safetensors",
                "checkpoint). Killed, it continues with --resume from its last recorded round."})
final class ServerCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The server config (YAML).")
    Path config;
    @Option(names = "--resume", description = "Continue the latest run of this name from its last recorded round.")
    boolean resume;
    @Option(names = "--allow-readable-key", description = "Start even if the kit's key file is readable by others"
            + " (warns); by default such a key is refused.")
    boolean allowReadableKey;
    @Option(names = "--fallback", paramLabel = "POLICY", defaultValue = "fail",
            description = "When resuming and the last checkpoint is unusable: fail (default) or previous-good-round.")
    String fallback;

    @Override
    public Integer call() throws Exception {
        FallbackPolicy policy = switch (fallback.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "fail" -> FallbackPolicy.FAIL;
            case "previous_good_round" -> FallbackPolicy.PREVIOUS_GOOD_ROUND;
            default -> throw new IllegalArgumentException("option '--fallback': expected fail or previous-good-round,"
                    + " got '" + fallback + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        ServerConfig cfg = ServerConfig.load(config);
        ServerProcess.Outcome outcome;
        try {
            outcome = new ServerProcess(cfg, DatasetRegistry.fromEnvironment(), out,
                    allowReadableKey ? KeyFilePolicy.ALLOW_READABLE : KeyFilePolicy.REQUIRE_OWNER_ONLY).run(resume, policy);
        } catch (MissingKitException e) {
            throw e.namedBy(config, "kit");
        }
        out.printf("run '%s' (id %d) is stored in %s; write its model with: fedmed export --config %s --out model.safetensors%n",
                cfg.run(), outcome.runId(), cfg.store(), config);
        out.flush();
        return 0;
    }
}
