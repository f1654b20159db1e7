package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Honest run records around an operator, with real processes: a start whose port is taken fails and leaves no run
 * behind, so the next start of the same run goes ahead; SIGTERM in the middle of that run stops it cleanly (the
 * store says {@code stopped} with the round reached, the stop is audited, the sites are disconnected); and
 * {@code --resume} continues it to the end with every round recorded exactly once.
 */
@Timeout(300)
class StopResumeProcessesTest {

    /** Rounds take a tenth of a second or so here: enough of them that the SIGTERM lands well before the end. */
    static final int ROUNDS = 30;
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: mlp, hidden: [64]}
            strategy: fedavg
            rounds: %d
            min_fit_sites: 2
            local_epochs: 8
            batch_size: 16
            lr: 0.05
            seed: 11
            round_deadline_seconds: 60
            """.formatted(ROUNDS);
    static final String SPEC = "{type: mlp, hidden: [64]}";
    static final List<String> SITES = List.of("cleveland", "hungary");

    @Test
    void sigtermStopsTheRunAsStoppedAndResumeFinishesItWithEveryRoundOnce(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", SITES);
        Path serverYaml = fed.serverConfig("server.yaml", "stoppable", 2, TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        int stoppedAfter;
        List<RoundRecord> beforeStop;
        try {
            try (ServerSocket taken = new ServerSocket(fed.port, 1, InetAddress.getByName("127.0.0.1"))) {
                FedmedProcess refused = start(processes, logs, "server-port-taken", "server", "--config",
                        serverYaml.toString());
                assertEquals(1, refused.awaitExit(Duration.ofSeconds(60)), refused.output());
                assertTrue(refused.output().contains("cannot listen on 127.0.0.1:" + fed.port), refused.output());
            }
            try (RunStore store = RunStore.open(fed.store())) {
                assertEquals(List.of(), store.runs(), "the failed start left no run");
            }

            FedmedProcess server = start(processes, logs, "server", "server", "--config", serverYaml.toString());
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : SITES) {
                start(processes, logs, site, "site", "--config", fed.siteConfig(site, site, "fedavg", SPEC).toString());
            }
            awaitRecordedRounds(fed, 2);
            server.terminate();
            assertEquals(143, server.awaitExit(Duration.ofSeconds(60)), "exit status of SIGTERM; " + server.output());

            try (RunStore store = RunStore.open(fed.store())) {
                RunInfo run = store.latestRun("stoppable").orElseThrow();
                assertEquals(RunStatus.STOPPED, run.status(), run.toString());
                stoppedAfter = store.lastRecordedRound(run.id()).orElseThrow();
                assertTrue(stoppedAfter >= 2 && stoppedAfter < ROUNDS, "stopped mid-run, after round " + stoppedAfter);
                assertTrue(run.stopReason().orElseThrow().startsWith("after round " + stoppedAfter + " ("),
                        run.stopReason().orElseThrow());
                assertTrue(server.output().contains("stopped after round " + stoppedAfter + " of " + ROUNDS),
                        server.output());
                List<AuditEntry> audit = store.auditLog(run.id());
                int stop = indexOf(audit, AuditEvent.RUN_STOPPED);
                assertTrue(stop >= 0, "the stop is audited: " + audit);
                assertTrue(audit.get(stop).detail().startsWith("stopped: after round " + stoppedAfter),
                        audit.get(stop).detail());
                for (String site : SITES) {
                    assertTrue(audit.subList(stop, audit.size()).stream().anyMatch(a -> a.event() == AuditEvent.LEFT
                            && a.actor().equals(site)), site + " was disconnected after the stop: " + audit);
                }
                beforeStop = store.rounds(run.id());
            }

            FedmedProcess resumed = start(processes, logs, "server-resumed", "server", "--config",
                    serverYaml.toString(), "--resume");
            assertEquals(0, resumed.awaitExit(Duration.ofSeconds(200)), resumed.output());
            assertTrue(resumed.output().contains("resuming run 'stoppable' (id 1) after round " + stoppedAfter),
                    resumed.output());
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }

        try (RunStore store = RunStore.open(fed.store())) {
            assertEquals(1, store.runs().size(), "one run throughout");
            RunInfo run = store.latestRun("stoppable").orElseThrow();
            assertEquals(RunStatus.COMPLETED, run.status());
            List<RoundRecord> rounds = store.rounds(run.id());
            assertEquals(IntStream.rangeClosed(1, ROUNDS).boxed().toList(),
                    rounds.stream().map(RoundRecord::round).toList(), "every round, once");
            assertTrue(rounds.stream().allMatch(r -> r.completed() && r.succeeded().equals(SITES)), rounds.toString());
            for (RoundRecord before : beforeStop) {
                assertEquals(before.evalMetrics(), rounds.get(before.round() - 1).evalMetrics(),
                        "round " + before.round() + " kept as recorded before the stop");
            }
            List<AuditEntry> audit = store.auditLog(run.id());
            int resume = indexOf(audit, AuditEvent.RUN_RESUMED);
            assertTrue(resume > indexOf(audit, AuditEvent.RUN_STOPPED), "resumed after the stop: " + audit);
            assertTrue(audit.get(resume).detail().endsWith("(was stopped)"), audit.get(resume).detail());
        }
    }

    private static FedmedProcess start(List<FedmedProcess> all, Path logs, String name, String... args) {
        FedmedProcess p = FedmedProcess.start(name, logs, args);
        all.add(p);
        return p;
    }

    private static int indexOf(List<AuditEntry> audit, AuditEvent event) {
        return IntStream.range(0, audit.size()).filter(i -> audit.get(i).event() == event).findFirst().orElse(-1);
    }

    private static void awaitRecordedRounds(Federation fed, int rounds) throws InterruptedException {
        FedmedProcess.await(() -> {
            try (RunStore store = RunStore.open(fed.store())) {
                return store.latestRun("stoppable").flatMap(r -> {
                    var last = store.lastRecordedRound(r.id());
                    return last.isPresent() ? java.util.Optional.of(last.getAsInt()) : java.util.Optional.empty();
                }).orElse(0) >= rounds;
            }
        }, Duration.ofSeconds(180), rounds + " recorded rounds");
    }
}
