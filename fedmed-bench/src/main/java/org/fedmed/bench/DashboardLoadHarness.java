package org.fedmed.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.dashboard.Dashboard;
import org.fedmed.dashboard.DashboardSettings;
import org.fedmed.pki.OperatorToken;
import org.fedmed.pki.SecureFiles;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.run.PersistingRunListener;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;

/**
 * The dashboard under a long, wide run: a real {@link RoundEngine} run of R rounds over N in-process sites, recorded
 * into a real SQLite run store by the server's {@link PersistingRunListener} (checkpoints included, the last 3
 * kept), measured twice:
 * <ol>
 *   <li><b>rounds per second with and without a dashboard connected</b>: the same run (same seed, sites and store
 *   layout, a fresh store each time) with no dashboard, then with a {@link Dashboard} polling the store and one
 *   client on {@code /events} that reloads the overview on {@code change} events as the page's script does (no
 *   sooner than 20 times the last load's cost after it, nor than 1 s; a change that comes sooner is caught up by
 *   the next one, where the page's script would wait for it instead);
 *   runs alternate (without, with, without, with, ...) and each figure is the best of its repeats;</li>
 *   <li><b>the overview page load</b> on the store of that run, R rounds recorded, by a dashboard started on it
 *   afterwards (its start, which reads every round once, is timed too): what a first visit fetches, timed
 *   from the first request to the last byte: {@code /?token=} (answered 303 with the cookie), {@code /} with the
 *   cookie (rendered on the server, charts as SVG), and {@code /events} up to its response headers (the page's
 *   script opens it). Repeated; the first visit after the start, the median and the slowest are reported.</li>
 * </ol>
 * The CPU time the dashboard's own threads (its poll and Jetty's request threads) use during each run is reported
 * as a share of one core: a figure that the machine's disk and load noise, which dominates rounds per second on a
 * shared machine, does not move much.
 *
 * <p>Each site fails one fit in 100 (deterministically), so the audit log and the failure columns are not empty, and
 * every site has a {@code joined} entry, as a deployment's would. Every server, client and store it opens is
 * closed before it returns, and its temporary folder is deleted.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.fedmed.bench.DashboardLoadHarness [ROUNDS [SITES [REPEATS [LOADS]]]]};
 * defaults 1000 rounds, 100 sites, 2 repeats of each throughput run, 10 page loads. Prints a Markdown table.
 */
public final class DashboardLoadHarness {

    private static final int PARAMETERS = 16;

    private DashboardLoadHarness() {
    }

    /** Moves the model halfway to its target; fails its fit once in 100 rounds; reports a growing dp_epsilon. */
    private record Site(String siteId, int index, float target, long examples) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            if ((t.round() + index) % 100 == 0) {
                throw new IllegalStateException("simulated failure of " + siteId + " in round " + t.round());
            }
            float[] w = t.global().copyFlat();
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.5f * (target - w[i]);
            }
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), w), false, examples,
                    1.0, Map.of("dp_epsilon", 0.01 * t.round()));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            double d = Math.abs(t.global().flat()[0] - target);
            return new EvalResult(siteId, t.taskId(), examples, Map.of("log_loss", d, "accuracy", 1 / (1 + d)));
        }
    }

    private static List<Site> sites(int n) {
        SplittableRandom rng = new SplittableRandom(2026);
        List<Site> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Site(String.format(Locale.ROOT, "site-%03d", i), i, (float) rng.nextDouble(-1, 1),
                    50 + rng.nextInt(950)));
        }
        return out;
    }

    /** Records one run of {@code rounds} rounds into a new store {@code db}; returns the wall time in ns. */
    private static long run(Path db, int rounds, List<Site> sites) {
        try (RunStore store = RunStore.open(db)) {
            for (Site s : sites) {
                store.audit(s.siteId(), AuditEvent.JOINED, "bench site");
            }
            long id = store.createRun("bench", "{\"rounds\":" + rounds + "}", 2026);
            for (Site s : sites) {
                store.audit(id, s.siteId(), AuditEvent.JOINED, "bench site");
            }
            var persisting = new PersistingRunListener(store, id, CheckpointDirectory.forRun(
                    db.resolveSibling("checkpoints"), id, 3), "{\"type\":\"linear\"}");
            var strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.fraction(1.0, 1),
                    new FitConfig(1, 8, 0.1, false, 0), 1.0);
            ModelParameters initial = ModelParameters.of(List.of(new Tensor("w", new int[]{PARAMETERS},
                    new float[PARAMETERS])));
            long start = System.nanoTime();
            try (InProcessSitePool pool = new InProcessSitePool(sites, 4)) {
                new RoundEngine(strategy, pool, EngineConfig.of(StoppingRule.rounds(rounds), 2026),
                        RunListener.all(persisting)).run(initial, 1, List.of());
            }
            return System.nanoTime() - start;
        }
    }

    /**
     * CPU time of the dashboard's own threads (its store poll and Jetty's request threads) while it runs, sampled
     * every 100 ms so that pool threads that end meanwhile are counted up to their last sample.
     */
    private static final class DashboardCpu implements AutoCloseable {
        private final java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        private final Map<Long, Long> seen = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.ScheduledExecutorService sampler =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

        DashboardCpu() {
            sampler.scheduleAtFixedRate(this::sample, 0, 100, TimeUnit.MILLISECONDS);
        }

        private void sample() {
            for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (t != null && (t.getThreadName().startsWith("fedmed-dashboard-poll")
                        || t.getThreadName().startsWith("JettyServerThreadPool"))) {
                    long cpu = mx.getThreadCpuTime(t.getThreadId());
                    if (cpu > 0) {
                        seen.merge(t.getThreadId(), cpu, Math::max);
                    }
                }
            }
        }

        /** Nanoseconds of CPU used so far. */
        long nanos() {
            sample();
            return seen.values().stream().mapToLong(Long::longValue).sum();
        }

        @Override
        public void close() {
            sampler.shutdownNow();
        }
    }

    /** A browser's view of a live dashboard: one /events stream, and a reload of / on each change event. */
    private static final class LiveClient implements AutoCloseable {
        private final HttpClient http = HttpClient.newHttpClient();
        private final AtomicInteger reloads = new AtomicInteger();
        private final AtomicLong reloadNanos = new AtomicLong();
        private final CompletableFuture<HttpResponse<Stream<String>>> stream;
        private volatile boolean closed;

        LiveClient(String url, OperatorToken token) {
            stream = http.sendAsync(HttpRequest.newBuilder(URI.create(url + "/events"))
                    .header("Authorization", "Bearer " + token.value()).header("Accept", "text/event-stream").build(),
                    HttpResponse.BodyHandlers.ofLines());
            stream.thenAcceptAsync(r -> {
                try (Stream<String> lines = r.body()) {
                    long[] loaded = {System.nanoTime(), 0};
                    lines.takeWhile(l -> !closed).filter("event: change"::equals).forEach(l -> {
                        // as the page's script: no sooner than 20 x the last load's cost after it, nor than 1 s
                        long due = loaded[0] + Math.max(TimeUnit.SECONDS.toNanos(1), 20 * loaded[1]);
                        if (System.nanoTime() < due) {
                            return; // a later change event triggers the reload once it is due
                        }
                        long t = System.nanoTime();
                        try {
                            get(http, url + "/", token);
                        } catch (IOException | InterruptedException e) {
                            return;
                        }
                        loaded[1] = System.nanoTime() - t;
                        loaded[0] = t;
                        reloadNanos.addAndGet(loaded[1]);
                        reloads.incrementAndGet();
                    });
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            stream.thenAccept(r -> r.body().close());
            stream.cancel(true);
            http.shutdownNow();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url, OperatorToken token)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token.value()).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    /** One first visit: the token link, the page with the cookie, and the event stream's headers. */
    private static long firstVisit(String url, OperatorToken token, int[] bytes) throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            long start = System.nanoTime();
            var login = http.send(HttpRequest.newBuilder(URI.create(url + "/?token=" + token.value())).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (login.statusCode() != 303) {
                throw new IllegalStateException("/?token= answered " + login.statusCode());
            }
            String cookie = login.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            var page = http.send(HttpRequest.newBuilder(URI.create(url + login.headers().firstValue("Location")
                    .orElseThrow())).header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (page.statusCode() != 200) {
                throw new IllegalStateException("/ answered " + page.statusCode());
            }
            var events = http.send(HttpRequest.newBuilder(URI.create(url + "/events")).header("Cookie", cookie)
                    .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
            long took = System.nanoTime() - start;
            events.body().close();
            if (events.statusCode() != 200) {
                throw new IllegalStateException("/events answered " + events.statusCode());
            }
            bytes[0] = page.body().length;
            return took;
        } finally {
            http.shutdownNow();
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int loads = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<Site> sites = sites(n);
        OperatorToken token = OperatorToken.generate(new SecureRandom());
        Path tmp = Files.createTempDirectory("fedmed-dashboard-bench");
        try {
            System.out.printf(Locale.ROOT, "dashboard load: %d rounds, %d sites, %d repeats, %d page loads; load"
                    + " average %s%n", rounds, n, repeats, loads, loadAverage());
            long bestWithout = Long.MAX_VALUE;
            long bestWith = Long.MAX_VALUE;
            int reloads = 0;
            long reloadNanos = 0;
            Path db = null;
            List<Double> pairRatios = new ArrayList<>();
            List<Double> cpuShares = new ArrayList<>();
            for (int rep = 0; rep < repeats; rep++) {
                Path plain = tmp.resolve("without-" + rep).resolve("runs.db");
                Files.createDirectories(plain.getParent());
                long t = run(plain, rounds, sites);
                long without = t;
                bestWithout = Math.min(bestWithout, t);
                System.out.printf(Locale.ROOT, "  without a dashboard: %.1f rounds/s%n", rounds / (t / 1e9));
                SecureFiles.deleteTree(plain.getParent());

                Path watched = tmp.resolve("with-" + rep).resolve("runs.db");
                Files.createDirectories(watched.getParent());
                try (RunStore create = RunStore.open(watched)) {
                    create.schemaVersion(); // the dashboard opens an existing store read-only
                }
                long cpu;
                try (DashboardCpu meter = new DashboardCpu();
                     Dashboard d = Dashboard.start(DashboardSettings.local(watched, token));
                     LiveClient client = new LiveClient(d.url(), token)) {
                    long before = meter.nanos();
                    t = run(watched, rounds, sites);
                    cpu = meter.nanos() - before;
                    bestWith = Math.min(bestWith, t);
                    reloads = client.reloads.get();
                    reloadNanos = client.reloadNanos.get();
                }
                cpuShares.add((double) cpu / t);
                pairRatios.add((double) without / t);
                System.out.printf(Locale.ROOT, "  with a dashboard: %.1f rounds/s (%d overview reloads by the"
                        + " /events client, mean %.0f ms; the dashboard's threads used %.1f%% of one core);"
                        + " this pair's ratio %.3f%n", rounds / (t / 1e9), reloads,
                        reloads == 0 ? 0.0 : reloadNanos / 1e6 / reloads, 100.0 * cpuShares.getLast(),
                        (double) without / t);
                if (db != null) {
                    SecureFiles.deleteTree(db.getParent());
                }
                db = watched;
            }

            List<Long> visits = new ArrayList<>();
            int[] bytes = new int[1];
            long renderNanos;
            long startNanos = System.nanoTime();
            try (Dashboard d = Dashboard.start(DashboardSettings.local(db, token))) {
                startNanos = System.nanoTime() - startNanos;
                for (int i = 0; i < loads; i++) {
                    visits.add(firstVisit(d.url(), token, bytes));
                }
                HttpClient http = HttpClient.newHttpClient();
                long renderStart = System.nanoTime();
                get(http, d.url() + "/?live=0", token);
                renderNanos = System.nanoTime() - renderStart;
                http.shutdownNow();
            }
            long cold = visits.getFirst();
            List<Long> sorted = new ArrayList<>(visits);
            sorted.sort(Comparator.naturalOrder());
            System.out.println();
            System.out.println("| figure | value |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| dashboard start on the finished store (opens it, reads every round and"
                    + " audit entry) | %.0f ms |%n", startNanos / 1e6);
            System.out.printf(Locale.ROOT, "| overview first visit, the first after start (303 + page + /events"
                    + " headers) | %.0f ms |%n", cold / 1e6);
            System.out.printf(Locale.ROOT, "| overview first visit, median of %d | %.0f ms |%n", loads,
                    sorted.get(sorted.size() / 2) / 1e6);
            System.out.printf(Locale.ROOT, "| overview first visit, slowest of %d | %.0f ms |%n", loads,
                    sorted.getLast() / 1e6);
            System.out.printf(Locale.ROOT, "| overview page size | %.0f KiB |%n", bytes[0] / 1024.0);
            System.out.printf(Locale.ROOT, "| overview alone (render + transfer, warm) | %.0f ms |%n",
                    renderNanos / 1e6);
            System.out.printf(Locale.ROOT, "| rounds/s without a dashboard (best of %d) | %.1f |%n", repeats,
                    rounds / (bestWithout / 1e9));
            System.out.printf(Locale.ROOT, "| rounds/s with a dashboard and a live /events client (best of %d)"
                    + " | %.1f |%n",
                    repeats, rounds / (bestWith / 1e9));
            System.out.printf(Locale.ROOT, "| ratio with / without, of the bests | %.3f |%n",
                    (double) bestWithout / bestWith);
            List<Double> ratios = new ArrayList<>(pairRatios);
            ratios.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "| ratio with / without, median of the %d pairs (each pair run back to back)"
                    + " | %.3f |%n", ratios.size(), ratios.get(ratios.size() / 2));
            List<Double> shares = new ArrayList<>(cpuShares);
            shares.sort(Comparator.naturalOrder());
            System.out.printf(Locale.ROOT, "| CPU of the dashboard's threads during a run, median share of one core"
                    + " | %.1f%% |%n", 100 * shares.get(shares.size() / 2));
            System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
        } finally {
            SecureFiles.deleteTree(tmp);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
