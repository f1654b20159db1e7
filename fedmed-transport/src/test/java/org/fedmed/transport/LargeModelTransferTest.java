package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitConfig;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;
import org.fedmed.core.SiteClient;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.support.RecordingAuditLog;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A model of 50 million parameters (200 MB of float32) goes to a site and back through the chunked stream, far
 * beyond any single gRPC message, and arrives intact both ways.
 */
@Timeout(120)
class LargeModelTransferTest {

    static final int ROWS = 5_000;
    static final int COLS = 10_000;

    /** A value that depends on its index, so a misplaced chunk shows. */
    static float valueAt(int i) {
        return (i % 9973) * 0.001f - (i % 7);
    }

    /** A site that checks the model it received value by value, then sends back model + 0.5 as a delta. */
    static final class EchoSite implements SiteClient {
        final AtomicLong mismatches = new AtomicLong(-1);
        final AtomicLong receivedCrc = new AtomicLong();

        @Override
        public String siteId() {
            return "big";
        }

        @Override
        public FitResult fit(FitTask t) {
            float[] w = t.global().flat();
            long bad = 0;
            for (int i = 0; i < w.length; i++) {
                if (w[i] != valueAt(i)) {
                    bad++;
                }
            }
            mismatches.set(bad);
            receivedCrc.set(crc(w));
            float[] delta = new float[w.length];
            java.util.Arrays.fill(delta, 0.5f);
            return new FitResult("big", t.taskId(), ModelParameters.ofFlat(t.global().layout(), delta), true, 1, 1.0,
                    Map.of());
        }

        @Override
        public EvalResult evaluate(EvalTask t) {
            throw new UnsupportedOperationException("not evaluated here");
        }
    }

    static long crc(float[] v) {
        CRC32C c = new CRC32C();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4096 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v.length; i += 4096) {
            b.clear();
            int n = Math.min(4096, v.length - i);
            b.asFloatBuffer().put(v, i, n);
            c.update(b.array(), 0, n * 4);
        }
        return c.getValue();
    }

    @Test
    void fiftyMillionParameterModelGoesToASiteAndBackIntact() throws Exception {
        ParameterLayout layout = ParameterLayout.of(List.of("embedding", "bias"), List.of(new int[]{ROWS, COLS}, new int[]{16}));
        float[] values = new float[layout.totalSize()];
        for (int i = 0; i < values.length; i++) {
            values[i] = valueAt(i);
        }
        ModelParameters global = ModelParameters.ofFlat(layout, values);
        assertTrue(4L * global.size() >= 200_000_000L, "at least 200 MB");
        EchoSite site = new EchoSite();
        List<FitResult> results = new ArrayList<>();
        List<SiteFailure> failures = new ArrayList<>();
        try (TestFederation f = new TestFederation(ServerSettings.defaults())) {
            f.join(site, TestFederation.ACCEPT_ALL, new RecordingAuditLog());
            assertTrue(f.pool().awaitSites(1, Duration.ofSeconds(20)));
            f.pool().fit(List.of(new FitTask(1, "big", global, new FitConfig(1, 1, 0.1, true, 1))), Duration.ofSeconds(100),
                    new org.fedmed.core.engine.OutcomeSink<>() {
                        @Override
                        public void success(FitResult r) {
                            results.add(r);
                        }

                        @Override
                        public void failure(SiteFailure failure) {
                            failures.add(failure);
                        }
                    });
        }
        assertEquals(List.of(), failures);
        assertEquals(0, site.mismatches.get(), "every value reached the site in place");
        assertEquals(crc(values), site.receivedCrc.get());
        FitResult r = results.getFirst();
        assertEquals(layout, r.parameters().layout());
        float[] back = r.parameters().flat();
        for (int i = 0; i < back.length; i++) {
            if (back[i] != 0.5f) {
                throw new AssertionError("value " + i + " came back as " + back[i]);
            }
        }
    }
}
