package org.fedmed.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.OperatorToken;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DashboardTest {

    private static final OperatorToken TOKEN = OperatorToken.generate(new SecureRandom(new byte[]{1}));
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    private Path storeWithRun(int rounds) {
        Path db = dir.resolve("runs.db");
        try (RunStore store = RunStore.open(db)) {
            TestRun.run(store, dir.resolve("checkpoints"), rounds, new RunListener() { });
        }
        return db;
    }

    private static HttpResponse<String> get(String url, String bearer) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(url));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void refusesRequestsWithoutOrWithAWrongToken() throws Exception {
        try (Dashboard d = Dashboard.start(DashboardSettings.local(storeWithRun(2), TOKEN))) {
            for (String path : List.of("/", "/audit", "/runs", "/analytics", "/downloads", "/metrics", "/events",
                    "/download/checkpoint/1/1", "/download/export/1")) {
                assertEquals(401, get(d.url() + path, null).statusCode(), path + " without a token");
                assertEquals(401, get(d.url() + path, "0".repeat(64)).statusCode(), path + " with a wrong token");
                assertEquals(401, get(d.url() + path + "?token=" + "f".repeat(64), null).statusCode(),
                        path + " with a wrong ?token=");
            }
            var wrongCookie = HTTP.send(HttpRequest.newBuilder(URI.create(d.url() + "/"))
                    .header("Cookie", Dashboard.COOKIE + "=" + "1".repeat(64)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrongCookie.statusCode());
            assertEquals(200, get(d.url() + "/", TOKEN.value()).statusCode());
        }
    }

    @Test
    void firstVisitWithTheTokenSetsAStrictHttpOnlyCookieAndRedirectsWithoutIt() throws Exception {
        try (Dashboard d = Dashboard.start(DashboardSettings.local(storeWithRun(1), TOKEN))) {
            var first = get(d.url() + "/audit?site=hospital-a&token=" + TOKEN.value(), null);
            assertEquals(303, first.statusCode());
            assertEquals("/audit?site=hospital-a", first.headers().firstValue("Location").orElseThrow());
            String cookie = first.headers().firstValue("Set-Cookie").orElseThrow();
            assertTrue(cookie.startsWith(Dashboard.COOKIE + "=" + TOKEN.value() + ";"), cookie);
            assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
            var next = HTTP.send(HttpRequest.newBuilder(URI.create(d.url() + "/audit?site=hospital-a"))
                    .header("Cookie", Dashboard.COOKIE + "=" + TOKEN.value()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, next.statusCode());
            assertTrue(next.body().contains("chain: <b>intact</b>"), next.body());
            assertFalse(next.body().contains("<td>hospital-b</td>"), "filtered by site");
        }
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception {
        try (Dashboard d = Dashboard.start(DashboardSettings.local(storeWithRun(1), TOKEN))) {
            assertEquals("http://127.0.0.1:" + d.port(), d.url());
            for (var nic : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (var addr : java.util.Collections.list(nic.getInetAddresses())) {
                    if (addr.isLoopbackAddress() || !(addr instanceof Inet4Address)) {
                        continue;
                    }
                    try (Socket s = new Socket()) {
                        assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(addr, d.port()), 2000),
                                "dashboard answered on " + addr);
                    }
                }
            }
        }
    }

    @Test
    void readsWhileTheWriterKeepsRecordingRounds() throws Exception {
        Path db = dir.resolve("runs.db");
        try (RunStore writer = RunStore.open(db)) {
            writer.createRun("earlier", "{}", 1);
            try (Dashboard d = Dashboard.start(DashboardSettings.local(db, TOKEN))) {
                AtomicInteger reads = new AtomicInteger();
                List<Integer> statuses = new ArrayList<>();
                RunListener reader = new RunListener() {
                    @Override
                    public void roundFinished(RoundRecord record, org.fedmed.core.ModelParameters global) {
                        try {
                            statuses.add(get(d.url() + "/", TOKEN.value()).statusCode());
                            statuses.add(get(d.url() + "/metrics", TOKEN.value()).statusCode());
                            reads.incrementAndGet();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                };
                long id = TestRun.run(writer, dir.resolve("checkpoints"), 6, reader);
                assertEquals(6, reads.get());
                assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
                assertEquals(6, writer.rounds(id).size(), "every round was recorded while the dashboard read");
                String page = get(d.url() + "/?run=" + id, TOKEN.value()).body();
                assertTrue(page.contains("round <b id=\"round\">6</b> of <b id=\"total\">6</b>"), page);
            }
            // the dashboard never held the writer's lock: the writer can still write after it closed, and while open
            writer.audit("server", org.fedmed.server.store.AuditEvent.RUN_CREATED, "after the dashboard");
        }
    }

    @Test
    void openEventStreamIsToldOfANewRoundWithinAFewPolls() throws Exception {
        Path db = dir.resolve("runs.db");
        try (RunStore writer = RunStore.open(db)) {
            writer.createRun("before", "{}", 1);
            try (Dashboard d = Dashboard.start(DashboardSettings.local(db, TOKEN))) {
                var lines = HTTP.send(HttpRequest.newBuilder(URI.create(d.url() + "/events")).header("Accept", "text/event-stream")
                        .header("Authorization", "Bearer " + TOKEN.value()).build(),
                        HttpResponse.BodyHandlers.ofLines());
                assertEquals(200, lines.statusCode());
                assertTrue(lines.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
                        lines.headers().map().toString());
                var it = lines.body().iterator();
                // The headers can arrive before the dashboard has registered the stream; its first comment comes after.
                var registered = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    while (it.hasNext()) {
                        if (it.next().equals(": connected")) {
                            return true;
                        }
                    }
                    return false;
                });
                assertTrue(registered.get(30, java.util.concurrent.TimeUnit.SECONDS),
                        "the stream says it is connected");
                var reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    String previous = "";
                    while (it.hasNext()) {
                        String line = it.next();
                        if (previous.equals("event: change") && line.startsWith("data: ")) {
                            return line.substring(6);
                        }
                        previous = line;
                    }
                    return null;
                });
                TestRun.run(writer, dir.resolve("checkpoints"), 2, new RunListener() { });
                // the poll is 1 s; a generous bound for a loaded machine
                String rounds = reader.get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(rounds != null && Integer.parseInt(rounds) >= 0, "a change event with the rounds seen");
            }
        }
    }

    @Test
    void readOnlyStoreRefusesWrites() {
        Path db = storeWithRun(1);
        try (RunStore ro = RunStore.openReadOnly(db)) {
            assertThrows(RuntimeException.class, () -> ro.createRun("x", "{}", 1));
            assertEquals(2, ro.runs().size() + 1);
        }
    }

    @Test
    void metricsParseAsPrometheusTextAndCountTheRun() throws Exception {
        try (Dashboard d = Dashboard.start(DashboardSettings.local(storeWithRun(4), TOKEN))) {
            var r = get(d.url() + "/metrics", TOKEN.value());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            Map<String, Double> samples = PrometheusText.parse(r.body());
            assertEquals(4.0, samples.get("fedmed_rounds_total"));
            assertEquals(4.0, samples.get("fedmed_round_duration_seconds_count"));
            assertEquals(2.0, samples.get("fedmed_epsilon"), "0.5 per round, 4 rounds");
        }
    }

    @Test
    void servesOverTlsWithTheKitsCertificate() throws Exception {
        Path fed = dir.resolve("fed");
        new Provisioner(Clock.systemUTC(), new SecureRandom(new byte[]{2}))
                .provision(FederationSpec.of("demo", new ServerAddress("localhost", 8443), List.of("a", "b")), fed,
                        false);
        Path kit = new KitLayout(fed).serverKit();
        OperatorToken token = OperatorToken.read(kit);
        assertNotEquals(TOKEN, token);
        var settings = DashboardSettings.local(storeWithRun(1), token)
                .withTls(new DashboardSettings.Tls(kit.resolve(KitLayout.SERVER_CERTIFICATE),
                        kit.resolve(KitLayout.SERVER_KEY)));
        try (Dashboard d = Dashboard.start(settings)) {
            assertTrue(d.url().startsWith("https://127.0.0.1:"), d.url());
            var ca = org.fedmed.pki.Pem.readCertificate(kit.resolve(KitLayout.CA_CERTIFICATE));
            var ks = java.security.KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            tmf.init(ks);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient tls = HttpClient.newBuilder().sslContext(ssl).build();
            var ok = tls.send(HttpRequest.newBuilder(URI.create(d.url() + "/runs"))
                    .header("Authorization", "Bearer " + token.value()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertTrue(ok.body().contains("dash-test"));
            var refused = tls.send(HttpRequest.newBuilder(URI.create(d.url() + "/runs")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, refused.statusCode());
            var first = tls.send(HttpRequest.newBuilder(URI.create(d.url() + "/?token=" + token.value())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(first.headers().firstValue("Set-Cookie").orElseThrow().contains("Secure"));
        }
    }

    /** An analytics report as an exchange writes it: one site's rows suppressed, the pooled figures released. */
    static final String ANALYTICS_JSON = """
            {"dataset":"heart-disease","k":5,"site_k":{},"pooled_k":8,
             "sites":[{"site":"clinic-c","k":8,"rows":"suppressed","label_counts":["suppressed",12],"columns":[
                        {"column":"age","present":41,"missing":0,"mean":54.25,"sd":9.5,"q25":null,"median":55.0,
                         "q75":61.0}]},
                      {"site":"hospital-a","k":5,"rows":120,"label_counts":[70,50],"columns":[]}],
             "pooled":{"site":"pooled","k":8,"rows":161,"label_counts":[89,72],"columns":[
                        {"column":"age","present":161,"missing":3,"mean":53.125,"sd":9.0,"q25":47.0,"median":54.0,
                         "q75":60.0}],
                       "cross_tabulation":{"column":"sex","by_label_class":{"female":[30,20],"(missing)":[0,"suppressed"]}}}}
            """;

    @Test
    void analyticsAndDownloadsPagesShowTheStoredResultsAndServeExportsWithTheirChecksum() throws Exception {
        Path db = storeWithRun(3);
        Path model = dir.resolve("exports").resolve("final.safetensors");
        org.fedmed.server.export.ExportedModel exported;
        try (RunStore store = RunStore.open(db)) {
            store.recordAnalytics("heart-disease", ANALYTICS_JSON);
            exported = org.fedmed.server.export.ModelExporter.export(store, 1, model);
        }
        try (Dashboard d = Dashboard.start(DashboardSettings.local(db, TOKEN))) {
            String analytics = get(d.url() + "/analytics", TOKEN.value()).body();
            assertTrue(analytics.contains("<tr data-site=\"clinic-c\"><td>clinic-c</td><td>8</td>"
                    + "<td class=\"rows\">suppressed</td><td>suppressed 12</td></tr>"), analytics);
            assertTrue(analytics.contains("<tr data-site=\"pooled\"><td>pooled</td><td>8</td><td class=\"rows\">161"
                    + "</td><td>89 72</td></tr>"), analytics);
            assertTrue(analytics.contains("data-site=\"pooled\" data-column=\"age\"><td>pooled</td><td>age</td>"
                    + "<td class=\"present\">161</td><td class=\"missing\">3</td><td class=\"mean\">53.125</td>"),
                    analytics);
            assertTrue(analytics.contains("<td class=\"q25\">-</td>"), "a figure not released: " + analytics);
            assertTrue(analytics.contains("<tr><td>female</td><td>30 20</td></tr>"), analytics);

            String downloads = get(d.url() + "/downloads", TOKEN.value()).body();
            assertTrue(downloads.contains("<a href=\"/download/export/1\">final.safetensors</a></td>"
                    + "<td class=\"sha256\">" + exported.sha256() + "</td>"), downloads);
            for (int round = 1; round <= 3; round++) {
                assertTrue(downloads.contains("<a href=\"/download/checkpoint/1/" + round + "\">"), downloads);
            }
            var file = HTTP.send(HttpRequest.newBuilder(URI.create(d.url() + "/download/export/1"))
                    .header("Authorization", "Bearer " + TOKEN.value()).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, file.statusCode());
            assertEquals(exported.sha256(), file.headers().firstValue("X-Checksum-Sha256").orElseThrow());
            assertEquals(exported.sha256(), java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(file.body())), "the bytes sent");
            assertEquals(404, get(d.url() + "/download/export/2", TOKEN.value()).statusCode());
            java.nio.file.Files.delete(model);
            assertEquals(404, get(d.url() + "/download/export/1", TOKEN.value()).statusCode());
            assertTrue(get(d.url() + "/downloads", TOKEN.value()).body().contains("final.safetensors (removed)"));
            String overview = get(d.url() + "/", TOKEN.value()).body();
            assertTrue(overview.contains("<a href=\"/analytics\">analytics</a><a href=\"/downloads\">downloads</a>"),
                    "linked from the nav");
        }
    }
}
