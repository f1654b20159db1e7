package org.fedmed.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.store.AuditEntry;

/**
 * The Prometheus metrics of a run, fed from what the store records as rounds and audit entries arrive: rounds
 * ({@code fedmed_rounds_total}), round durations ({@code fedmed_round_duration_seconds}), bytes sent to and received
 * from each site ({@code fedmed_bytes_sent_total}, {@code fedmed_bytes_received_total}, from the transport's
 * task-sent and result-received audit entries), failures per site and kind ({@code fedmed_site_failures_total}),
 * refusals per site ({@code fedmed_site_refusals_total}) and the largest epsilon the run's fit metrics report
 * ({@code fedmed_epsilon}). Each round and entry is counted once.
 */
public final class DashboardMetrics {

    private static final Pattern MODEL_BYTES = Pattern.compile("(\\d+) model bytes");
    private static final Pattern BYTES = Pattern.compile("(\\d+) bytes");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Double> epsilon = new AtomicReference<>(Double.NaN);

    public DashboardMetrics() {
        Gauge.builder("fedmed_epsilon", epsilon, r -> r.get())
                .description("largest cumulative epsilon reported by the run's fit metrics").register(registry);
        Counter.builder("fedmed_rounds").description("rounds recorded").register(registry);
    }

    /** Counts a recorded round. */
    public void round(RoundRecord r) {
        registry.counter("fedmed_rounds").increment();
        registry.timer("fedmed_round_duration").record(Duration.ofMillis(r.durationMillis()));
        for (SiteFailure f : r.failures()) {
            registry.counter("fedmed_site_failures", "site", String.valueOf(f.siteId()),
                    "kind", f.kind().name().toLowerCase(java.util.Locale.ROOT)).increment();
        }
        for (Map.Entry<String, Double> m : r.fitMetrics().entrySet()) {
            if (m.getKey().contains("epsilon") && Double.isFinite(m.getValue())) {
                epsilon.accumulateAndGet(m.getValue(), (a, b) -> Double.isNaN(a) ? b : Math.max(a, b));
            }
        }
    }

    /** Counts an audit entry: bytes from task and result entries, refusals. */
    public void audit(AuditEntry e) {
        switch (e.event()) {
            case TASK_SENT -> add("fedmed_bytes_sent", e.actor(), MODEL_BYTES, e.detail());
            case RESULT_RECEIVED, STATISTICS_RECEIVED -> add("fedmed_bytes_received", e.actor(), BYTES, e.detail());
            case REFUSED, ADMISSION_REFUSED, STATISTICS_REFUSED ->
                    registry.counter("fedmed_site_refusals", "site", e.actor()).increment();
            default -> { }
        }
    }

    private void add(String name, String site, Pattern p, String detail) {
        Matcher m = p.matcher(detail == null ? "" : detail);
        if (m.find()) {
            registry.counter(name, "site", site).increment(Double.parseDouble(m.group(1)));
        }
    }

    /** The text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
