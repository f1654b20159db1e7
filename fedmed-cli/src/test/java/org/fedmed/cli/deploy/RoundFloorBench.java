package org.fedmed.cli.deploy;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundHistory;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.SitePool;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.pki.SecureFiles;
import org.fedmed.transport.bench.BareGrpcRounds;
import org.fedmed.transport.bench.SecondHalfTimer;
import org.fedmed.transport.bench.SecondHalfTimer.Timed;
import org.fedmed.transport.bench.SiteFleet;
import org.fedmed.transport.bench.TransferBench;
import org.fedmed.transport.server.CommonNameAuthorizer;
import org.fedmed.transport.server.FederationServer;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.TestPki;
import org.fedmed.transport.tls.MutualTls;

/**
 * The least a deployed round can cost on this machine: the round engine over the gRPC pool with mutual TLS, to four
 * sites in four JVMs of their own that answer at once (no training, no audit log, no state file), with no run store,
 * checkpoint or audit writer on the server, and a model of Fed-Heart-Disease's size. It is measured against {@code
 * simulate}'s Fed-Heart-Disease round (the baseline of {@link DeployedRoundBench}) and against the same engine over
 * in-process sites that answer at once, all in the same run. A deployed round does everything this one does and
 * more, so its round cannot be shorter than this one's; when this floor is already above an aim stated as a ratio to
 * {@code simulate}, no change to what a deployment adds can meet the aim on this machine.
 *
 * <p>Medians and means are over the run's second half; CPU time per round is of this JVM (engine and server) and
 * the four site JVMs over the same rounds. The site JVMs are stopped when it ends, also when it fails. Needs
 * {@code FEDMED_DATA}. Usage: {@code RoundFloorBench [rounds=20000]}; prints a markdown table.
 */
public final class RoundFloorBench {

    static final int SITES = 4;

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        Federation.requireHeartDisease();
        String training = ProcessesMatchSimulationTest.TRAINING.replace("rounds: 15", "rounds: " + rounds);
        DeployedRoundBench.Simulated simulated = DeployedRoundBench.simulatedRound(training, rounds);
        ModelParameters model = ModelParameters.ofFlat(
                ParameterLayout.of(List.of("w"), List.of(new int[]{simulated.parameters()})),
                new float[simulated.parameters()]);

        List<SiteClient> local = new ArrayList<>();
        for (int k = 0; k < SITES; k++) {
            local.add(new SiteFleet.InstantSite(SiteFleet.siteId(k)));
        }
        Timed inProcess;
        try (InProcessSitePool pool = new InProcessSitePool(local, SITES)) {
            run(pool, model, rounds, List.of()); // the JIT warms up on a first run
            inProcess = run(pool, model, rounds, List.of());
        }

        Path dir = Files.createTempDirectory("fedmed-floor-pki");
        Timed overGrpc;
        Timed bare;
        String load;
        try {
            TestPki pki = TestPki.create("fedmed-bench-ca");
            pki.write(dir, "server", pki.server());
            for (int k = 0; k < SITES; k++) {
                pki.write(dir, SiteFleet.siteId(k), pki.site(SiteFleet.siteId(k)));
            }
            List<Process> fleets = new ArrayList<>();
            try (FederationServer server = FederationServer.start(new InetSocketAddress("127.0.0.1", 0),
                    MutualTls.serverCredentials(dir.resolve("ca.pem"), dir.resolve("server.pem"),
                            dir.resolve("server.key")),
                    new CommonNameAuthorizer(Set.of()), ServerSettings.defaults())) {
                try {
                    for (int k = 0; k < SITES; k++) {
                        fleets.add(TransferBench.startFleet(server.port(), dir, 1, k));
                    }
                    if (!server.pool().awaitSites(SITES, Duration.ofMinutes(2))) {
                        throw new IllegalStateException("only " + server.pool().availableSites().size() + " of "
                                + SITES + " sites connected");
                    }
                    overGrpc = run(server.pool(), model, rounds, fleets);
                    load = String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                } finally {
                    for (Process p : fleets) {
                        p.destroy();
                    }
                    for (Process p : fleets) {
                        p.waitFor();
                    }
                }
            }
            bare = BareGrpcRounds.run(rounds, SITES, dir);
        } finally {
            SecureFiles.deleteTree(dir); // the CA's, the server's and the sites' private keys
        }

        StringBuilder out = new StringBuilder();
        out.append(String.format("%d rounds, %d sites, %d parameters; medians and means over rounds %d-%d;"
                + " load average %s at the end%n%n", rounds, SITES, simulated.parameters(), rounds / 2 + 1, rounds,
                load));
        out.append("| round | median | mean | CPU per round | median vs `simulate` | CPU vs `simulate` |\n"
                + "|---|---|---|---|---|---|\n");
        out.append(String.format("| `simulate`, Fed-Heart-Disease (wall / rounds) | %.3f ms | | %.3f ms | 1x | 1x |%n",
                simulated.wallMs(), simulated.cpuMs()));
        row(out, "engine, in-process sites that answer at once", inProcess, simulated);
        row(out, "engine over gRPC + mTLS, 4 site JVMs that answer at once (all five JVMs' CPU)", overGrpc, simulated);
        row(out, "bare grpc-java + mTLS, the same 4x2 exchanges of plain bytes, answered on the event loop", bare,
                simulated);
        System.out.println(out);
        System.exit(0); // gRPC's and Netty's non-daemon threads
    }

    private static void row(StringBuilder out, String name, Timed t, DeployedRoundBench.Simulated simulated) {
        out.append(String.format("| %s | %.3f ms | %.3f ms | %.3f ms | %.1fx | %.1fx |%n", name, t.medianMs(),
                t.meanMs(), t.cpuMs(), t.medianMs() / simulated.wallMs(), t.cpuMs() / simulated.cpuMs()));
    }

    /** Runs {@code rounds} FedAvg rounds (fit and evaluate on every site) and times the second half. */
    static Timed run(SitePool pool, ModelParameters model, int rounds, List<Process> others) {
        FederatedAveraging fedavg = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(SITES),
                new FitConfig(2, 32, 0.1, true, 42), 1.0);
        SecondHalfTimer timer = new SecondHalfTimer(rounds, others);
        RunListener timing = new RunListener() {
            @Override
            public void roundFinished(RoundRecord record, ModelParameters global) {
                timer.roundEnded(record.round());
            }
        };
        new RoundEngine(fedavg, pool, EngineConfig.of(StoppingRule.rounds(rounds), 42), timing, RoundHistory.LATEST)
                .run(model);
        return timer.timed();
    }
}
