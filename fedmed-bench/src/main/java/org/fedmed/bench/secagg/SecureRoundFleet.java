package org.fedmed.bench.secagg;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.exchange.ExchangeParticipant;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.SiteKit;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.exchange.SecureSumParticipants;
import org.fedmed.transport.WireLimits;
import org.fedmed.transport.site.PolicyDecision;
import org.fedmed.transport.site.SiteChannels;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.SiteSettings;
import org.fedmed.transport.tls.MutualTls;

/**
 * The sites of {@link SecureRoundHarness}, all in this JVM, each with its own channel and certificate:
 * {@code SecureRoundFleet KIT_ROOT COUNT DROPPING}. Training costs nothing (a fit answers with a fixed small delta), so
 * a round's cost is the transport and the protocol. In even rounds the first {@code DROPPING} sites drop: in a plain
 * round their fit fails, in a secure round they refuse their masked-input stage (after sharing keys, the costly case
 * for the server). Prints {@code ready} once all have joined, and its own CPU time on every line it reads; runs until
 * its input ends.
 */
public final class SecureRoundFleet {

    private SecureRoundFleet() {
    }

    /** A site whose fit is a fixed delta, and that fails it in even rounds when it is one of the dropping sites. */
    record InstantSite(String siteId, boolean drops) implements SiteClient {
        @Override
        public FitResult fit(FitTask t) {
            if (drops && t.round() % 2 == 0 && t.release() == org.fedmed.core.UpdateRelease.CLEAR) {
                throw new IllegalStateException("site " + siteId + " dropped out of round " + t.round());
            }
            float[] delta = new float[t.global().size()];
            int h = siteId.hashCode();
            for (int i = 0; i < delta.length; i++) {
                delta[i] = 0.001f * (((h + i) % 7) - 3);
            }
            return new FitResult(siteId, t.taskId(), ModelParameters.ofFlat(t.global().layout(), delta), true, 100, 1.0,
                    Map.of("loss", 1.0));
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            return new EvalResult(siteId, t.taskId(), 100, Map.of("log_loss", 1.0));
        }
    }

    public static void main(String[] args) throws Exception {
        KitLayout layout = new KitLayout(Path.of(args[0]));
        int count = Integer.parseInt(args[1]);
        int dropping = Integer.parseInt(args[2]);
        WireLimits limits = WireLimits.defaults();
        List<SiteConnection> connections = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String id = SecureRoundHarness.siteId(k);
            SiteKit kit = SiteKit.load(layout.siteKit(id));
            boolean drops = k < dropping;
            var channel = SiteChannels.open(kit.server().host(), kit.server().port(),
                    MutualTls.siteCredentials(kit.caCertificate(), kit.certificate(), kit.privateKey()), limits);
            ExchangeParticipants own = new SecureSumParticipants(RandomnessSource.system());
            ExchangeParticipants participants = !drops ? own : (task, update) -> {
                ExchangeParticipant inner = own.open(task, update);
                return new ExchangeParticipant() {
                    @Override
                    public byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
                        if (stage == ExchangeStage.MASKED_INPUT && task.round() % 2 == 0) {
                            throw new ExchangeRefusedException("site " + id + " dropped before its masked input");
                        }
                        return inner.answer(stage, body);
                    }

                    @Override
                    public boolean finished() {
                        return inner.finished();
                    }
                };
            };
            SiteConnection c = new SiteConnection(channel, SiteSettings.of(id).withLimits(limits),
                    new InstantSite(id, drops), offer -> PolicyDecision.accept(), entry -> { })
                    .keepingUpdatesWith(participants);
            c.start();
            connections.add(c);
        }
        for (SiteConnection c : connections) {
            c.awaitConnected(java.time.Duration.ofSeconds(120));
        }
        System.out.println("ready");
        System.out.flush();
        var cpu = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        while (in.readLine() != null) {
            System.out.println("cpu " + cpu.getProcessCpuTime());
            System.out.flush();
        }
        for (SiteConnection c : connections) {
            c.close();
        }
        System.exit(0);
    }
}
