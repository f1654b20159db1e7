package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.fedmed.transport.site.SiteSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server process killed (SIGKILL) in the middle of a run and restarted with {@code --resume} three times in a
 * row: each time, every site process, on default connection settings, is back within the documented bound
 * ({@link SiteSettings#reconnectBound()}, 30 s), counted from the restarted server's "listening" line to the
 * site's "joined" line (both as the test sees them appear, polling every 50 ms; the site prints within 250 ms of
 * its join), and the run store's audit log records each join. The times are printed; docs/benchmarks.md records
 * runs of them.
 */
@Timeout(400)
class ServerRestartProcessesTest {

    static final int RESTARTS = 3;
    static final List<String> SITES = List.of("cleveland", "hungary", "va");
    static final String TRAINING = """
            dataset: heart-disease
            model: {type: logistic}
            strategy: fedavg
            rounds: 100000
            min_fit_sites: 2
            local_epochs: 1
            batch_size: 32
            lr: 0.1
            seed: 5
            round_deadline_seconds: 60
            """;

    @Test
    void everySiteIsBackWithinTheBoundAfterEachOfThreeServerRestarts(@TempDir Path tmp) throws Exception {
        Federation.requireHeartDisease();
        Duration bound = SiteSettings.of("any").reconnectBound();
        Federation fed = Federation.provision(tmp, "heart", SITES);
        Path serverYaml = fed.serverConfig("server.yaml", "restarts", SITES.size(), TRAINING);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        List<Instant> killedAt = new ArrayList<>();
        List<Instant> listeningAt = new ArrayList<>();
        List<Map<String, Instant>> joinedAt = new ArrayList<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            List<FedmedProcess> sites = new ArrayList<>();
            for (String site : SITES) {
                sites.add(FedmedProcess.start(site, logs, "site", "--config",
                        fed.siteConfig(site, site, "fedavg", "{type: logistic}").toString()));
            }
            processes.addAll(sites);
            awaitJoins(sites, 1, Duration.ofSeconds(120));
            for (int restart = 1; restart <= RESTARTS; restart++) {
                awaitRecordedRounds(fed, restart);
                server.kill();
                killedAt.add(Instant.now());
                server = FedmedProcess.start("server-" + restart, logs, "server", "--config", serverYaml.toString(),
                        "--resume");
                processes.add(server);
                FedmedProcess restarted = server;
                FedmedProcess.await(() -> restarted.output().contains("listening on"), Duration.ofSeconds(60),
                        "server restart " + restart + " to listen");
                listeningAt.add(Instant.now());
                joinedAt.add(awaitJoins(sites, restart + 1, bound.plus(Duration.ofSeconds(30))));
            }
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }

        try (RunStore store = RunStore.open(fed.store())) {
            List<AuditEntry> audit = store.auditLog(store.latestRun("restarts").orElseThrow().id());
            for (int restart = 1; restart <= RESTARTS; restart++) {
                Map<String, Double> seconds = new LinkedHashMap<>();
                for (String site : SITES) {
                    Instant after = killedAt.get(restart - 1);
                    assertTrue(audit.stream().anyMatch(a -> a.event() == AuditEvent.JOINED && a.actor().equals(site)
                            && a.time().isAfter(after)), site + " rejoined after restart " + restart + ": " + audit);
                    double s = Duration.between(listeningAt.get(restart - 1), joinedAt.get(restart - 1).get(site))
                            .toMillis() / 1000.0;
                    seconds.put(site, s);
                    assertTrue(s <= bound.toSeconds(), "restart " + restart + ": " + site + " back after " + s
                            + " s, bound " + bound.toSeconds() + " s");
                }
                System.out.printf(Locale.ROOT, "server restart %d: down %.1f s, sites back after %s s (bound %d s)%n",
                        restart, Duration.between(killedAt.get(restart - 1), listeningAt.get(restart - 1)).toMillis()
                                / 1000.0, seconds, bound.toSeconds());
            }
        }
    }

    /** Waits until the run has recorded {@code rounds} rounds, so that each restart resumes a run in progress. */
    private static void awaitRecordedRounds(Federation fed, int rounds) throws InterruptedException {
        FedmedProcess.await(() -> {
            try (RunStore store = RunStore.open(fed.store())) {
                return store.lastRecordedRound(store.latestRun("restarts").orElseThrow().id()).orElse(0) >= rounds;
            }
        }, Duration.ofSeconds(120), rounds + " recorded rounds");
    }

    /**
     * Waits until every site has printed its join number {@code join}; returns when each was first seen, by site
     * (in {@link #SITES} order).
     */
    private static Map<String, Instant> awaitJoins(List<FedmedProcess> sites, int join, Duration timeout)
            throws InterruptedException {
        Map<String, Instant> seen = new LinkedHashMap<>();
        FedmedProcess.await(() -> {
            for (int i = 0; i < sites.size(); i++) {
                if (!seen.containsKey(SITES.get(i)) && sites.get(i).output().contains("(join #" + join + ")")) {
                    seen.put(SITES.get(i), Instant.now());
                }
            }
            return seen.size() == sites.size();
        }, timeout, "every site's join #" + join);
        Map<String, Instant> ordered = new LinkedHashMap<>();
        SITES.forEach(site -> ordered.put(site, seen.get(site)));
        return ordered;
    }
}
