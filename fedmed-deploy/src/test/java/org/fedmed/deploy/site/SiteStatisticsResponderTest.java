package org.fedmed.deploy.site;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedmed.data.TestData;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.prep.ColumnMoments;
import org.fedmed.data.prep.FederatedStatistics;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.deploy.stats.StatsCodec;
import org.fedmed.ml.ModelSpec;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.proto.ColumnRange;
import org.fedmed.transport.proto.StatisticKind;
import org.fedmed.transport.proto.StatsReply;
import org.fedmed.transport.proto.StatsRequest;
import org.fedmed.transport.site.StatisticsResponder;
import org.junit.jupiter.api.Test;

/** A deployed site answers only the fixed statistics of its training rows, and prepares exactly as the simulation. */
class SiteStatisticsResponderTest {

    static final List<String> HOSPITALS = List.of("cleveland", "hungary", "switzerland", "va");

    static DataSettings defaults(long k) {
        return new DataSettings(BuiltInDatasets.HEART_DISEASE, null, 0.25, MissingPolicy.MEAN, true, 42, 10,
                ConstantFill.NONE, OneHot.FULL, StandardDeviation.POPULATION, Clipping.NONE, null, null, StatsMode.FEDERATED, true, k);
    }

    static GovernedSite governed(String id) {
        return new GovernedSite(id, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE),
                List.of("fedavg"), List.of(ModelSpec.logistic()), 10, 10_000)), null, null);
    }

    static StatsRequest request(StatisticKind... kinds) {
        return StatsRequest.newBuilder().setRequestId("r").addAllKinds(List.of(kinds)).build();
    }

    @Test
    void momentsAreThoseOfTheSitesTrainingRows() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SiteRows rows = SiteDataLoader.rows(defaults(5), "hungary", registry);
        StatsReply reply = new SiteStatisticsResponder(rows, governed("hungary"), null)
                .answer(request(StatisticKind.MOMENTS));
        assertEquals(rows.train().rows(), reply.getRows());
        assertEquals(FederatedStatistics.moments(rows.train()), StatsCodec.moments(reply.getColumnsList()));
        assertEquals(0, reply.getPreprocessing().getHistogramBins(), "mean imputation needs no histograms");
    }

    @Test
    void preparingFromTheMergedStatisticsGivesTheSimulationsRowsBitForBit() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        FederatedDataset simulated = FederatedDatasets.load(registry, defaults(5).options().withSites(4));
        List<List<ColumnMoments>> perSite = new ArrayList<>();
        List<SiteRows> all = new ArrayList<>();
        for (String id : HOSPITALS) {
            SiteRows r = SiteDataLoader.rows(defaults(5), id, registry);
            all.add(r);
            perSite.add(FederatedStatistics.moments(r.train()));
        }
        var merged = StatsCodec.merged("m", HOSPITALS, FederatedStatistics.mergeMoments(perSite), List.of());
        for (int s = 0; s < HOSPITALS.size(); s++) {
            GovernedSite site = governed(HOSPITALS.get(s));
            StatsReply reply = new SiteStatisticsResponder(all.get(s), site, null).answer(StatsRequest.newBuilder()
                    .setRequestId("p").addKinds(StatisticKind.PREPARE).setMerged(merged).build());
            assertEquals(simulated.featureNames(), reply.getFeatureNamesList());
            LocalData prepared = all.get(s).prepare(StatsCodec.moments(merged.getColumnsList()), List.of(), List.of());
            assertArrayEquals(simulated.site(HOSPITALS.get(s)).train().features(), prepared.site().train().features());
            assertArrayEquals(simulated.site(HOSPITALS.get(s)).test().features(), prepared.site().test().features());
        }
        assertTrue(simulated.featureNames().stream().anyMatch(n -> n.endsWith("_missing")), "indicators by default");
    }

    @Test
    void aPrepareRequestWithTheStatisticsTheSiteAlreadyPreparedFromDoesNotPrepareAgain() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SiteRows rows = SiteDataLoader.rows(defaults(5), "hungary", registry);
        var merged = StatsCodec.merged("m", List.of("hungary"),
                FederatedStatistics.mergeMoments(List.of(FederatedStatistics.moments(rows.train()))), List.of());
        var other = StatsCodec.merged("m2", List.of("hungary"),
                FederatedStatistics.mergeMoments(List.of(FederatedStatistics.moments(rows.test()))), List.of());
        List<LocalData> prepared = new ArrayList<>();
        SiteStatisticsResponder responder = new SiteStatisticsResponder(rows, governed("hungary"), null, prepared::add);
        StatsRequest again = StatsRequest.newBuilder().setRequestId("p").addKinds(StatisticKind.PREPARE)
                .setMerged(merged).build();
        StatsReply first = responder.answer(again);
        // a resumed server asks again with the same merged statistics: the site keeps its data and its models
        StatsReply second = responder.answer(again);
        assertEquals(1, prepared.size(), "prepared once");
        assertEquals(first.getFeatureNamesList(), second.getFeatureNamesList());
        responder.answer(StatsRequest.newBuilder().setRequestId("q").addKinds(StatisticKind.PREPARE)
                .setMerged(other).build());
        assertEquals(2, prepared.size(), "other statistics are prepared from");
    }

    @Test
    void theThreeExchangesOfFederatedClippingAndMediansGiveTheSimulationsRowsBitForBit() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        DataSettings clipping = new DataSettings(BuiltInDatasets.HEART_DISEASE, null, 0.25, MissingPolicy.MEDIAN, true,
                42, 10, ConstantFill.NONE, OneHot.DROP_FIRST, StandardDeviation.UNBIASED, new Clipping.AtQuantiles(0.05, 0.95), null, null, StatsMode.FEDERATED, true, 5);
        FederatedDataset simulated = FederatedDatasets.load(registry, clipping.options().withSites(4));
        List<SiteStatisticsResponder> sites = new ArrayList<>();
        for (String id : HOSPITALS) {
            sites.add(new SiteStatisticsResponder(SiteDataLoader.rows(clipping, id, registry), governed(id), null));
        }
        List<List<ColumnMoments>> moments = new ArrayList<>();
        int bins = 0;
        for (SiteStatisticsResponder r : sites) {
            StatsReply reply = r.answer(request(StatisticKind.MOMENTS));
            moments.add(StatsCodec.moments(reply.getColumnsList()));
            bins = reply.getPreprocessing().getHistogramBins();
            assertTrue(reply.getPreprocessing().getClippedMoments());
        }
        assertEquals(1024, bins);
        List<ColumnMoments> global = FederatedStatistics.mergeMoments(moments);
        StatsRequest.Builder hist = StatsRequest.newBuilder().setRequestId("h").addKinds(StatisticKind.HISTOGRAMS)
                .setBins(bins);
        global.forEach(g -> hist.addRanges(ColumnRange.newBuilder().setLow(g.count() == 0 ? 0 : g.min())
                .setHigh(g.count() == 0 ? 0 : g.max())));
        List<List<org.fedmed.data.prep.Histogram>> hists = new ArrayList<>();
        for (SiteStatisticsResponder r : sites) {
            hists.add(StatsCodec.histograms(r.answer(hist.build()).getColumnsList()));
        }
        var histograms = FederatedStatistics.mergeHistograms(hists);
        StatsRequest clip = StatsRequest.newBuilder().setRequestId("c").addKinds(StatisticKind.CLIPPED_MOMENTS)
                .setMerged(StatsCodec.merged("hm", HOSPITALS, global, histograms)).build();
        List<List<ColumnMoments>> clipped = new ArrayList<>();
        for (SiteStatisticsResponder r : sites) {
            clipped.add(StatsCodec.moments(r.answer(clip).getColumnsList()));
        }
        var merged = StatsCodec.merged("m", HOSPITALS, global, histograms, FederatedStatistics.mergeMoments(clipped));
        for (int s = 0; s < HOSPITALS.size(); s++) {
            SiteRows rows = SiteDataLoader.rows(clipping, HOSPITALS.get(s), registry);
            LocalData prepared = rows.prepare(StatsCodec.moments(merged.getColumnsList()),
                    StatsCodec.histograms(merged.getColumnsList()), StatsCodec.moments(merged.getClippedList()));
            assertArrayEquals(simulated.site(HOSPITALS.get(s)).train().features(), prepared.site().train().features(),
                    HOSPITALS.get(s));
            assertArrayEquals(simulated.site(HOSPITALS.get(s)).test().features(), prepared.site().test().features());
        }
    }

    @Test
    void aSiteRefusesAboutFewerTrainingRowsThanItsKOrMinRows() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        var start = assertThrows(IllegalArgumentException.class,
                () -> SiteDataLoader.rows(defaults(1000), "switzerland", registry));
        assertTrue(start.getMessage().contains("92 training and 31 test rows; the site's data.k 1000"), start.getMessage());
        SiteRows loaded = SiteDataLoader.rows(defaults(5), "switzerland", registry);
        SiteRows rows = new SiteRows(loaded.siteId(), loaded.definition(), loaded.source(), defaults(1000),
                loaded.train(), loaded.test(), loaded.quality(), loaded.checksums());
        var e = assertThrows(StatisticsResponder.Refused.class, () -> new SiteStatisticsResponder(rows,
                governed("switzerland"), null).answer(request(StatisticKind.MOMENTS)));
        assertTrue(e.getMessage().contains("92 training rows, fewer than 1000"), e.getMessage());
    }

    @Test
    void aRequestOutsideTheClosedSetIsRefused() {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SiteRows rows = SiteDataLoader.rows(defaults(5), "va", registry);
        SiteStatisticsResponder responder = new SiteStatisticsResponder(rows, governed("va"), null);
        assertThrows(StatisticsResponder.Refused.class,
                () -> responder.answer(request(StatisticKind.MOMENTS, StatisticKind.HISTOGRAMS)));
        assertThrows(StatisticsResponder.Refused.class, () -> responder.answer(request()));
        StatsRequest.Builder huge = StatsRequest.newBuilder().setRequestId("h").addKinds(StatisticKind.HISTOGRAMS)
                .setBins(SiteStatisticsResponder.MAX_BINS + 1);
        for (int f = 0; f < rows.train().cols(); f++) {
            huge.addRanges(ColumnRange.newBuilder().setLow(0).setHigh(1));
        }
        var e = assertThrows(StatisticsResponder.Refused.class, () -> responder.answer(huge.build()));
        assertTrue(e.getMessage().contains("histogram bins must lie in [2, 65536]"), e.getMessage());
    }

    @Test
    void aSiteWithoutPreparedDataRefusesTasksSayingWhy() {
        var decision = governed("va").review(new org.fedmed.transport.site.TaskOffer("r1-eval-va", TaskKind.EVALUATE,
                1, org.fedmed.ml.Models.build(ModelSpec.logistic(), 3, 2).layout(), 16, "fedavg",
                ModelSpec.logistic().toJson(), null));
        assertTrue(!decision.accepted() && decision.reason().contains("has not prepared its data yet"), decision.reason());
    }

    @Test
    void aSurvivalRequestToASiteWithoutASurvivalLabelIsRefusedNamingItsLabel() throws Exception {
        DatasetRegistry registry = TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
        SiteRows rows = SiteDataLoader.rows(defaults(5), "hungary", registry);
        StatsRequest survival = StatsRequest.newBuilder().setRequestId("s").addKinds(StatisticKind.SURVIVAL)
                .setMinCell(5).setSurvival(StatsCodec.survival(new org.fedmed.data.survival.SurvivalQuery("days",
                        "died", null, org.fedmed.data.survival.TimeBins.uniform(30, 4)))).build();
        StatisticsResponder.Refused e = assertThrows(StatisticsResponder.Refused.class,
                () -> new SiteStatisticsResponder(rows, governed("hungary"), null).answer(survival));
        assertTrue(e.getMessage().startsWith("site 'hungary': survival counts need a survival label (time and event),"
                + " but the dataset's label is "), e.getMessage());
    }
}
