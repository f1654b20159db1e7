package org.fedmed.transport.bench;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * The sites of {@link TransferBench}, in their own JVM so that the server's heap is measured alone:
 * {@code SiteFleet HOST PORT CERT_DIR COUNT [FIRST=0]}. Its sites are k = FIRST .. FIRST + COUNT - 1, site k
 * {@code bench-%03d}, with its certificate and key in CERT_DIR. Training costs nothing: a fit answers at once with a
 * precomputed delta, so a round's time is all transport, validation and aggregation. Runs until killed.
 */
public final class SiteFleet {

    static final Map<Integer, float[]> DELTAS = new ConcurrentHashMap<>();

    public static final class InstantSite implements SiteClient {
        final String id;

        public InstantSite(String id) {
            this.id = id;
        }

        @Override
        public String siteId() {
            return id;
        }

        @Override
        public FitResult fit(FitTask t) {
            float[] delta = DELTAS.computeIfAbsent(t.global().size(), n -> {
                float[] d = new float[n];
                java.util.Arrays.fill(d, 0.001f);
                return d;
            });
            return new FitResult(id, t.taskId(), ModelParameters.ofFlat(t.global().layout(), delta), true, 100, 1.0,
                    Map.of("loss", 1.0));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(id, t.taskId(), 100, Map.of("log_loss", 1.0));
        }
    }

    public static String siteId(int k) {
        return String.format("bench-%03d", k);
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        int first = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        List<SiteConnection> sites = new ArrayList<>();
        for (int k = first; k < first + count; k++) {
            String id = siteId(k);
            ChannelCredentials creds = MutualTls.siteCredentials(dir.resolve("ca.pem"), dir.resolve(id + ".pem"),
                    dir.resolve(id + ".key"));
            ManagedChannel ch = SiteChannels.open(host, port, creds, WireLimits.defaults());
            SiteConnection c = new SiteConnection(ch, SiteSettings.of(id), new InstantSite(id),
                    offer -> PolicyDecision.accept(), entry -> { });
            c.start();
            sites.add(c);
        }
        System.out.println("fleet of " + sites.size() + " sites dialing " + host + ":" + port);
        // Lives as long as the benchmark that started it, even one killed without running its hooks.
        var parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        parent.get().onExit().join();
        System.exit(0);
    }
}
