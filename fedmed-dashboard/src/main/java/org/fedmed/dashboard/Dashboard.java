package org.fedmed.dashboard;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.sse.SseClient;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.RunInfo;

/**
 * The dashboard's web server (Javalin) over one run store. Every path answers 401 unless the request carries the
 * operator token: as {@code Authorization: Bearer TOKEN} (scripts, Prometheus), or as the {@value #COOKIE} cookie
 * that a first visit with {@code ?token=TOKEN} sets (HttpOnly, SameSite=Strict, and Secure over TLS) before it
 * redirects to the same page without the token. Tokens are compared in constant time. It listens on the settings'
 * host, loopback by default, and re-reads the store every {@code poll}: new rounds and audit entries go to the
 * metrics and, as a {@code change} event, to every page open on {@code /events}.
 */
public final class Dashboard implements AutoCloseable {

    /** The cookie that carries the token for a browser. */
    public static final String COOKIE = "fedmed_token";

    private static final System.Logger LOG = System.getLogger(Dashboard.class.getName());

    /**
     * Jetty and Javalin log their start and stop at INFO, several lines each; the dashboard says where it listens
     * itself, so below WARNING they are left out. Held here so that the levels are not collected with the loggers.
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            quiet("org.eclipse.jetty"), quiet("io.javalin"));

    private static java.util.logging.Logger quiet(String name) {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    private final DashboardSettings settings;
    private final StoreView view;
    private final DashboardMetrics metrics = new DashboardMetrics();
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("fedmed-dashboard-poll").daemon().factory());
    private final Javalin app;
    private long seenRun = -1;
    private int seenRounds;
    private long seenAudit;

    private Dashboard(DashboardSettings settings, StoreView view) {
        this.settings = settings;
        this.view = view;
        this.app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            if (settings.tls() != null) {
                cfg.jetty.addConnector((server, http) -> TlsConnector.create(server, http, settings));
            }
            cfg.routes.before(this::authorize);
            cfg.routes.get("/", ctx -> html(ctx, DashboardPages.overview(view, runParam(ctx),
                    !"0".equals(ctx.queryParam("live")))));
            cfg.routes.get("/audit", ctx -> html(ctx, DashboardPages.audit(view, runParam(ctx),
                    ctx.queryParam("site"), ctx.queryParam("kind"))));
            cfg.routes.get("/runs", ctx -> html(ctx, DashboardPages.runs(view)));
            cfg.routes.get("/analytics", ctx -> html(ctx, DashboardPages.analytics(view)));
            cfg.routes.get("/downloads", ctx -> html(ctx, DashboardPages.downloads(view, runParam(ctx))));
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            cfg.routes.get("/download/checkpoint/{run}/{round}", this::checkpoint);
            cfg.routes.get("/download/export/{id}", this::export);
            cfg.routes.sse("/events", client -> {
                client.keepAlive();
                client.onClose(() -> clients.remove(client));
                clients.add(client);
                client.sendComment("connected");
            });
            cfg.routes.exception(IllegalArgumentException.class, (e, ctx) ->
                    ctx.status(HttpStatus.BAD_REQUEST).result(e.getMessage()));
        });
    }

    /** Opens the store read-only and starts serving; {@link #port()} says where. */
    public static Dashboard start(DashboardSettings settings) {
        StoreView view = StoreView.open(settings.store());
        Dashboard d = new Dashboard(settings, view);
        // Javalin logs a failed start at SEVERE before it throws; the exception below says it in one line
        java.util.logging.Logger starting = java.util.logging.Logger.getLogger("io.javalin.Javalin");
        java.util.logging.Level level = starting.getLevel();
        starting.setLevel(java.util.logging.Level.OFF);
        try {
            d.poll();
            if (settings.tls() != null) {
                d.app.start();
            } else {
                d.app.start(settings.host(), settings.port());
            }
        } catch (RuntimeException e) {
            view.close();
            throw new IllegalStateException("dashboard: cannot listen on " + settings.host() + ":" + settings.port()
                    + ": " + e.getMessage(), e);
        } finally {
            starting.setLevel(level);
        }
        long every = settings.poll().toMillis();
        d.poller.scheduleWithFixedDelay(d::pollQuietly, every, every, TimeUnit.MILLISECONDS);
        return d;
    }

    /** The port it listens on. */
    public int port() {
        return app.port();
    }

    /** {@code https://host:port} or {@code http://host:port}. */
    public String url() {
        return (settings.tls() != null ? "https://" : "http://") + settings.host() + ":" + port();
    }

    private void authorize(Context ctx) {
        String query = ctx.queryParam("token");
        if (query != null) {
            if (!settings.token().matches(query)) {
                throw new UnauthorizedResponse("wrong token");
            }
            ctx.header(Header.SET_COOKIE, COOKIE + "=" + query + "; Path=/; HttpOnly; SameSite=Strict"
                    + (settings.tls() != null ? "; Secure" : ""));
            String rest = ctx.queryString() == null ? "" : ctx.queryString().replaceAll("(^|&)token=[^&]*", "")
                    .replaceFirst("^&", "");
            ctx.redirect(ctx.path() + (rest.isEmpty() ? "" : "?" + rest), HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
            return;
        }
        String auth = ctx.header(Header.AUTHORIZATION);
        String presented = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).strip() : ctx.cookie(COOKIE);
        if (!settings.token().matches(presented)) {
            ctx.header(Header.WWW_AUTHENTICATE, "Bearer realm=\"fedmed\"");
            throw new UnauthorizedResponse("the operator token is required: Authorization: Bearer TOKEN, or open"
                    + " /?token=TOKEN once (the token is operator.token in the server kit)");
        }
    }

    private static Long runParam(Context ctx) {
        String r = ctx.queryParam("run");
        if (r == null || r.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(r);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("query parameter 'run': expected a run id, got '" + r + "'");
        }
    }

    private static void html(Context ctx, String body) {
        ctx.contentType("text/html; charset=utf-8").result(body);
    }

    private void checkpoint(Context ctx) throws Exception {
        long run = Long.parseLong(ctx.pathParam("run"));
        int round = Integer.parseInt(ctx.pathParam("round"));
        var ref = view.checkpoint(run, round);
        if (ref.isEmpty() || !Files.isRegularFile(ref.get().path())) {
            ctx.status(HttpStatus.NOT_FOUND).result("run " + run + " round " + round + ": no checkpoint on disk"
                    + " (retention may have removed it)");
            return;
        }
        ctx.header(Header.CONTENT_DISPOSITION, "attachment; filename=\"run" + run + "-round" + round
                + ".safetensors\"");
        ctx.header("X-Checksum-Sha256", ref.get().sha256());
        ctx.contentType("application/octet-stream").result(Files.newInputStream(ref.get().path()));
    }

    private void export(Context ctx) throws Exception {
        long id = Long.parseLong(ctx.pathParam("id"));
        var ref = view.export(id);
        if (ref.isEmpty() || !Files.isRegularFile(ref.get().path())) {
            ctx.status(HttpStatus.NOT_FOUND).result("export " + id + ": " + (ref.isEmpty() ? "no such export in the"
                    + " store" : "no file at " + ref.get().path() + " (moved or removed since the export)"));
            return;
        }
        ctx.header(Header.CONTENT_DISPOSITION, "attachment; filename=\"" + ref.get().path().getFileName() + "\"");
        ctx.header("X-Checksum-Sha256", ref.get().sha256());
        ctx.contentType("application/octet-stream").result(Files.newInputStream(ref.get().path()));
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dashboard: cannot re-read " + settings.store() + ": "
                    + e.getMessage());
        }
    }

    /** Feeds new rounds and audit entries of the latest run to the metrics, and tells open pages. */
    private synchronized void poll() {
        var latest = view.run(null);
        if (latest.isEmpty()) {
            return;
        }
        RunInfo run = latest.get();
        boolean changed = false;
        if (run.id() != seenRun) {
            seenRun = run.id();
            seenRounds = 0;
            seenAudit = 0;
            changed = true;
        }
        List<RoundRecord> rounds = view.rounds(run.id());
        for (RoundRecord r : rounds.subList(Math.min(seenRounds, rounds.size()), rounds.size())) {
            metrics.round(r);
            changed = true;
        }
        seenRounds = rounds.size();
        for (AuditEntry e : view.audit(run.id())) {
            if (e.id() > seenAudit) {
                metrics.audit(e);
                seenAudit = e.id();
                changed = true;
            }
        }
        if (changed) {
            for (SseClient c : clients) {
                if (!c.terminated()) {
                    c.sendEvent("change", Integer.toString(seenRounds));
                }
            }
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        clients.forEach(SseClient::close);
        app.stop();
        try {
            // a poll under way finishes its read before the connection closes under it
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        view.close();
    }
}
