package org.fedmed.cli.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.fedmed.sim.report.ComparisonReport;
import org.fedmed.sim.report.PrivacySummary;

/**
 * The common part of the tests that kill a deployed server mid-run and resume it: one {@code fedmed server} and one
 * {@code fedmed site} process per Fed-Heart-Disease hospital (separate JVMs, gRPC over mutual TLS on 127.0.0.1) run
 * a training plan; once the run store holds {@code killAfter} recorded rounds the server process is killed
 * (SIGKILL, as a crash would stop it) while the sites keep running, and a second server process is started with
 * {@code --resume} and runs the plan to its end. The same plan is run uninterrupted by {@code fedmed simulate}
 * (which a deployment matches bit for bit), and both runs' rounds, final model and epsilon are handed back for the
 * tests to compare. It fails, with the processes' output, only when the run itself does not go through (the
 * rounds never recorded, the resumed server not exiting 0, no resume line, the run not completed); every
 * comparison is the test's.
 */
final class KillResumeRun {

    /** The server's line at the end of a DP run: the whole run's epsilon, written in full. */
    static final Pattern SPENT = Pattern.compile("privacy spent: epsilon (\\S+) at delta (\\S+) over (\\d+) round");

    /**
     * What one run ended with.
     *
     * @param rounds         every recorded round, in order
     * @param finalModel     the global model after the last round, flat
     * @param epsilon        the whole run's epsilon; empty for a run without DP
     * @param epsilonByRound the cumulative epsilon after each round (tracked {@code privacy/epsilon} for the deployed
     *                       run, the privacy summary's for the simulation); empty for a run without DP
     */
    record Outcome(List<RoundRecord> rounds, float[] finalModel, OptionalDouble epsilon,
                   Map<Integer, Double> epsilonByRound) {
    }

    /**
     * A kill and resume and the uninterrupted run of the same plan.
     *
     * @param resumed        the deployed run, killed and resumed
     * @param uninterrupted  the same plan run by {@code simulate} without interruption
     * @param simulation     the simulation's whole report
     * @param resumedAfter   the last recorded round the resumed server continued after
     * @param resumedOutput  the resumed server's console output
     * @param siteOutputs    each site process's console output, by site
     * @param strategyState  the strategy state file beside the last round's checkpoint (it may not exist)
     * @param federation     the provisioned federation (its store, audit logs and kits)
     */
    record Result(Outcome resumed, Outcome uninterrupted, ComparisonReport simulation, int resumedAfter,
                  String resumedOutput, Map<String, String> siteOutputs, Path strategyState, Federation federation) {

        /** The account the resumed server reported before its first round: epsilon, and that round. */
        AccountAtResume accountAtResume(String strategy, String noise) {
            Matcher account = Pattern.compile("privacy: " + Pattern.quote(strategy) + ", noise " + noise
                    + "; epsilon (\\S+) at delta \\S+ before round (\\d+)").matcher(resumedOutput);
            assertTrue(account.find(), resumedOutput);
            return new AccountAtResume(Double.parseDouble(account.group(1)), Integer.parseInt(account.group(2)));
        }
    }

    /** The epsilon a resumed server reported before {@code beforeRound}, the first round it ran. */
    record AccountAtResume(double epsilon, int beforeRound) {
    }

    private KillResumeRun() {
    }

    /**
     * Provisions a federation of the four hospitals under {@code tmp}, runs {@code training} as run {@code run} with
     * every site approving {@code strategies} and {@code modelSpec} ({@code siteKeys}: top-level site.yaml lines
     * added to every site's config), kills the server after {@code killAfter} recorded rounds, resumes it to the
     * end, and simulates {@code training} uninterrupted. Every process is closed before this returns.
     */
    static Result run(Path tmp, String run, String training, String strategies, String modelSpec, String siteKeys,
                      int killAfter) throws Exception {
        Federation.requireHeartDisease();
        Federation fed = Federation.provision(tmp, "heart", Federation.HOSPITALS);
        Path serverYaml = fed.serverConfig("server.yaml", run, Federation.HOSPITALS.size(), training);
        Path logs = tmp.resolve("logs");
        List<FedmedProcess> processes = new ArrayList<>();
        Map<String, FedmedProcess> sites = new LinkedHashMap<>();
        String resumedOutput;
        Map<String, String> siteOutputs = new LinkedHashMap<>();
        try {
            FedmedProcess server = FedmedProcess.start("server", logs, "server", "--config", serverYaml.toString());
            processes.add(server);
            server.awaitOutput("listening on", Duration.ofSeconds(60));
            for (String site : Federation.HOSPITALS) {
                Path siteYaml = fed.siteConfig(site, site, strategies, modelSpec);
                Files.writeString(siteYaml, Files.readString(siteYaml) + siteKeys.indent(0));
                FedmedProcess p = FedmedProcess.start(site, logs, "site", "--config", siteYaml.toString());
                processes.add(p);
                sites.put(site, p);
            }
            try {
                FedmedProcess.await(() -> recorded(fed, run) >= killAfter, Duration.ofSeconds(180),
                        killAfter + " recorded rounds");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; server: " + server.output() + "; "
                        + Federation.HOSPITALS.getFirst() + ": " + sites.get(Federation.HOSPITALS.getFirst()).output(),
                        e);
            }
            server.kill();
            FedmedProcess resumed = FedmedProcess.start("server-resumed", logs, "server", "--config",
                    serverYaml.toString(), "--resume");
            processes.add(resumed);
            assertEquals(0, resumed.awaitExit(Duration.ofSeconds(240)), resumed.output());
            resumedOutput = resumed.output();
            sites.forEach((site, p) -> siteOutputs.put(site, p.output()));
        } finally {
            for (FedmedProcess p : processes) {
                p.close();
            }
        }
        Matcher m = Pattern.compile("resuming run '" + Pattern.quote(run) + "' \\(id 1\\) after round (\\d+)")
                .matcher(resumedOutput);
        assertTrue(m.find(), resumedOutput);
        int resumedAfter = Integer.parseInt(m.group(1));

        List<RoundRecord> rounds;
        float[] deployed;
        Path strategyState;
        try (RunStore store = RunStore.open(fed.store())) {
            RunInfo info = store.latestRun(run).orElseThrow();
            assertEquals(RunStatus.COMPLETED, info.status(), resumedOutput);
            rounds = store.rounds(info.id());
            Path last = store.checkpoint(info.id(), rounds.size()).orElseThrow().path();
            deployed = SafetensorsReader.read(last).parameters().flat();
            strategyState = last.resolveSibling(String.format("round-%04d.strategy.safetensors", rounds.size()));
        }
        Matcher spent = SPENT.matcher(resumedOutput);
        OptionalDouble epsilon = spent.find() ? OptionalDouble.of(Double.parseDouble(spent.group(1)))
                : OptionalDouble.empty();
        Outcome resumed = new Outcome(rounds, deployed, epsilon, tracked(fed, run + "-1"));

        ComparisonReport sim = MatchedRun.simulate(training + "simulation: {regimes: [federated]}\n");
        PrivacySummary privacy = sim.federated().privacy();
        Map<Integer, Double> simulated = new TreeMap<>();
        if (privacy != null) {
            privacy.rounds().forEach(r -> simulated.put(r.round(), r.epsilon()));
        }
        Outcome uninterrupted = new Outcome(sim.federated().rounds(), sim.federated().finalModel().flat(),
                privacy == null ? OptionalDouble.empty() : OptionalDouble.of(privacy.epsilon()), simulated);
        return new Result(resumed, uninterrupted, sim, resumedAfter, resumedOutput, siteOutputs, strategyState, fed);
    }

    /** The {@code privacy/epsilon} the server processes tracked for run {@code trackedRun}, by round. */
    private static Map<Integer, Double> tracked(Federation fed, String trackedRun) throws IOException {
        Map<Integer, Double> tracked = new TreeMap<>();
        Path metrics = fed.store().toAbsolutePath().resolveSibling("tracking").resolve("metrics.csv");
        if (!Files.exists(metrics)) {
            return tracked;
        }
        for (String line : Files.readAllLines(metrics)) {
            String[] f = line.split(",");
            if (f.length > 4 && f[0].equals(trackedRun) && f[2].isEmpty() && f[3].equals("privacy/epsilon")) {
                tracked.put(Integer.parseInt(f[1]), Double.parseDouble(f[4]));
            }
        }
        return tracked;
    }

    private static int recorded(Federation fed, String run) {
        try (RunStore store = RunStore.open(fed.store())) {
            return store.latestRun(run).map(r -> store.lastRecordedRound(r.id()).orElse(0)).orElse(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
