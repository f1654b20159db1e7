package org.fedmed.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.SiteClient;
import org.fedmed.core.exchange.ExchangeParticipants;
import org.fedmed.transport.proto.ColumnStats;
import org.fedmed.transport.proto.MergedStats;
import org.fedmed.transport.proto.StatisticKind;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.server.ServerSettings;
import org.fedmed.transport.server.StatisticsRefusedException;
import org.fedmed.transport.site.AuditEntry;
import org.fedmed.transport.site.SiteConnection;
import org.fedmed.transport.site.StatisticsResponder;
import org.fedmed.transport.support.Eventually;
import org.fedmed.transport.support.TestFederation;
import org.junit.jupiter.api.Test;

/** The statistics exchange and the definition check over real gRPC with mutual TLS on 127.0.0.1. */
class StatisticsExchangeTest {

    static final DefinitionReport DEFINITION = new DefinitionReport("ab".repeat(32), List.of("age", "cp"),
            List.of("feature age numeric", "feature cp categorical levels=[1|2]"));

    record Idle(String siteId) implements SiteClient {
        @Override
        public FitResult fit(FitTask task) {
            throw new IllegalStateException("never asked");
        }

        @Override
        public EvalResult evaluate(EvalTask task) {
            throw new IllegalStateException("never asked");
        }
    }

    /** Answers moments with its count in the first column; records the merged statistics it is sent. */
    static final class Counting implements StatisticsResponder {
        final long rows;
        final List<MergedStats> merged = new CopyOnWriteArrayList<>();

        Counting(long rows) {
            this.rows = rows;
        }

        @Override
        public StatsReply answer(StatsRequest request) throws Refused {
            if (rows < 10) {
                throw new Refused("only " + rows + " rows");
            }
            return StatsReply.newBuilder().setRows(rows).addColumns(ColumnStats.newBuilder().setCount(rows)).build();
        }

        @Override
        public void merged(MergedStats m) {
            merged.add(m);
        }
    }

    private static SiteConnection join(TestFederation f, String id, StatisticsResponder r, List<AuditEntry> audit)
            throws Exception {
        return f.join(new Idle(id), TestFederation.ACCEPT_ALL, audit::add,
                TestFederation.siteSettings(id).withDefinition(DEFINITION), f.channelFor(id), ExchangeParticipants.NONE,
                r);
    }

    @Test
    void repliesAndRefusalsReachTheServerAndMergedStatisticsReachEverySiteAndAreAudited() throws Exception {
        try (TestFederation f = new TestFederation(ServerSettings.defaults().withHeartbeat(Duration.ofMillis(200),
                Duration.ofSeconds(5)))) {
            List<AuditEntry> auditA = new CopyOnWriteArrayList<>();
            List<AuditEntry> auditB = new CopyOnWriteArrayList<>();
            Counting a = new Counting(120);
            Counting b = new Counting(3);
            join(f, "a", a, auditA);
            join(f, "b", b, auditB);
            assertTrue(f.pool().awaitSites(2, Duration.ofSeconds(20)));
            var answers = f.pool().requestStatistics(List.of("a", "b", "c"), StatsRequest.newBuilder()
                    .setRequestId("stats-moments").addKinds(StatisticKind.MOMENTS).build());
            assertEquals(120, answers.get("a").get(10, TimeUnit.SECONDS).getColumns(0).getCount());
            var refused = assertInstanceOf(ExecutionException.class, catching(() -> answers.get("b").get(10, TimeUnit.SECONDS)));
            assertTrue(refused.getCause().getMessage().contains("site 'b' refused statistics request 'stats-moments':"
                    + " only 3 rows"), refused.getCause().getMessage());
            var absent = catching(() -> answers.get("c").get(1, TimeUnit.SECONDS));
            assertInstanceOf(StatisticsRefusedException.class, absent.getCause());

            MergedStats merged = MergedStats.newBuilder().setRequestId("stats-merged").addSites("a").build();
            assertEquals(2, f.pool().shareMergedStatistics(merged));
            assertTrue(Eventually.holds(() -> a.merged.size() == 1 && b.merged.size() == 1, Duration.ofSeconds(10)));
            assertEquals(merged, a.merged.getFirst());
            assertTrue(auditA.stream().anyMatch(e -> e.event() == AuditEntry.Event.STATISTICS_SENT
                    && e.taskId().equals("stats-moments") && e.metricKeys().equals(List.of("moments"))
                    && e.bytesSent() > 0), auditA.toString());
            assertTrue(auditB.stream().anyMatch(e -> e.event() == AuditEntry.Event.STATISTICS_REFUSED
                    && e.reason().equals("only 3 rows")), auditB.toString());
            // written after the site is handed the merged statistics
            assertTrue(Eventually.holds(() -> auditA.stream().anyMatch(e ->
                    e.event() == AuditEntry.Event.STATISTICS_MERGED && e.metricKeys().equals(List.of("a"))),
                    Duration.ofSeconds(10)), auditA.toString());

            Counting late = new Counting(50);
            join(f, "late", late, new CopyOnWriteArrayList<>());
            assertTrue(Eventually.holds(() -> late.merged.size() == 1, Duration.ofSeconds(10)));
        }
    }

    @Test
    void aSiteWhoseDefinitionTheCheckRefusesIsRefusedWithItsReason() throws Exception {
        ServerSettings settings = ServerSettings.defaults().withDefinitionCheck(r -> r == null
                ? Optional.of("it reported no definition")
                : r.descriptions().equals(DEFINITION.descriptions()) ? Optional.empty()
                : Optional.of("column 2 'cp' differs"));
        try (TestFederation f = new TestFederation(settings)) {
            List<AuditEntry> audit = new CopyOnWriteArrayList<>();
            DefinitionReport other = new DefinitionReport(DEFINITION.sha256(), DEFINITION.columnNames(),
                    List.of("feature age numeric", "feature cp categorical levels=[1|2|3]"));
            SiteConnection c = f.join(new Idle("x"), TestFederation.ACCEPT_ALL, audit::add,
                    TestFederation.siteSettings("x").withDefinition(other), f.channelFor("x"));
            assertTrue(Eventually.holds(() -> c.state() == SiteConnection.State.REFUSED, Duration.ofSeconds(20)));
            assertEquals("site 'x': column 2 'cp' differs", c.refusal().orElseThrow());
            assertTrue(audit.stream().anyMatch(e -> e.event() == AuditEntry.Event.REFUSED_BY_SERVER
                    && e.reason().contains("'cp'")), audit.toString());

            SiteConnection none = f.join(new Idle("y"), TestFederation.ACCEPT_ALL, e -> { });
            assertTrue(Eventually.holds(() -> none.state() == SiteConnection.State.REFUSED, Duration.ofSeconds(20)));
            assertEquals("site 'y': it reported no definition", none.refusal().orElseThrow());
            SiteConnection same = f.join(new Idle("z"), TestFederation.ACCEPT_ALL, e -> { },
                    TestFederation.siteSettings("z").withDefinition(DEFINITION), f.channelFor("z"));
            assertTrue(same.awaitConnected(Duration.ofSeconds(20)));
            assertFalse(f.pool().availableSites().contains("x"));
        }
    }

    private static Exception catching(Callable c) {
        try {
            c.call();
        } catch (Exception e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }

    @FunctionalInterface
    interface Callable {
        void call() throws Exception;
    }
}
