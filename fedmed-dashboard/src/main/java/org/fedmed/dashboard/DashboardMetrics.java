package org.fedmed.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.core.engine.SiteTraffic;
import org.fedmed.server.store.AuditEntry;

/**
 * The Prometheus metrics of a run, fed from what the store records as rounds and audit entries arrive: rounds
 * ({@code fedmed_rounds_total}), round durations ({@code fedmed_round_duration_seconds}), the time spent aggregating
 * each round ({@code fedmed_aggregation_duration_seconds}, for rounds that recorded it), bytes sent to and received
 * from each site ({@code fedmed_bytes_sent_total}, {@code fedmed_bytes_received_total}, the transport's per-round
 * counts stored with each round), failures per site and kind ({@code fedmed_site_failures_total}), refusals per site
 * ({@code fedmed_site_refusals_total}, from audit entries) and the largest epsilon the run's fit metrics report
 * ({@code fedmed_epsilon}). Each round and entry is counted once.
 */
public final class DashboardMetrics {

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
        Timer.builder("fedmed_round_duration").description("a round's wall time: fit and evaluation on every site and"
                + " the aggregation").register(registry).record(Duration.ofMillis(r.durationMillis()));
        if (r.aggregationNanos() > 0) {
            Timer.builder("fedmed_aggregation_duration").description("time the server spent aggregating a round's"
                    + " updates").register(registry).record(Duration.ofNanos(r.aggregationNanos()));
        }
        for (Map.Entry<String, SiteTraffic> t : r.traffic().entrySet()) {
            counter("fedmed_bytes_sent", "bytes the server sent to a site", "site", t.getKey())
                    .increment(t.getValue().bytesSent());
            counter("fedmed_bytes_received", "bytes the server received from a site", "site", t.getKey())
                    .increment(t.getValue().bytesReceived());
        }
        for (SiteFailure f : r.failures()) {
            counter("fedmed_site_failures", "rounds in which a site delivered no usable result, by kind", "site",
                    String.valueOf(f.siteId()), "kind", f.kind().name().toLowerCase(java.util.Locale.ROOT)).increment();
        }
        for (Map.Entry<String, Double> m : r.fitMetrics().entrySet()) {
            if (m.getKey().contains("epsilon") && Double.isFinite(m.getValue())) {
                epsilon.accumulateAndGet(m.getValue(), (a, b) -> Double.isNaN(a) ? b : Math.max(a, b));
            }
        }
    }

    /** Counts an audit entry: refusals. */
    public void audit(AuditEntry e) {
        switch (e.event()) {
            case REFUSED, ADMISSION_REFUSED, STATISTICS_REFUSED ->
                    counter("fedmed_site_refusals", "tasks, statistics requests or admissions refused, by site",
                            "site", e.actor()).increment();
            default -> { }
        }
    }

    private Counter counter(String name, String description, String... tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    /** The text exposition format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }
}
