package org.fedmed.deploy.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.fedmed.data.survival.SurvivalCounts;
import org.fedmed.data.survival.SurvivalGrouping;
import org.fedmed.data.survival.SurvivalQuery;
import org.fedmed.data.survival.SurvivalRelease;
import org.fedmed.data.survival.TimeBins;
import org.fedmed.transport.proto.SurvivalRequest;
import org.junit.jupiter.api.Test;

/**
 * The survival messages of the statistics exchange decode to what was encoded, and a release whose counts break the
 * small-cell rule or do not add up is refused on arrival, naming the site, the group and the bin.
 */
class StatsCodecSurvivalTest {

    static final TimeBins BINS = new TimeBins(new double[] {0, 12, 24, 60});

    @Test
    void everyGroupingOfARequestRoundTrips() {
        for (SurvivalGrouping g : new SurvivalGrouping[] {new SurvivalGrouping.None(),
                new SurvivalGrouping.ByLevels("arm", "control", "treated"), new SurvivalGrouping.ByThreshold("age", 64.5)}) {
            SurvivalQuery q = new SurvivalQuery("months", "status", g, BINS);
            SurvivalRequest wire = StatsCodec.survival(q);
            assertEquals(q, StatsCodec.survival(parse(wire)));
        }
    }

    private static SurvivalRequest parse(SurvivalRequest wire) {
        try {
            return SurvivalRequest.parseFrom(wire.toByteString());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void releasedCountsAndAWithheldGroupRoundTrip() {
        SurvivalCounts counts = new SurvivalCounts("north", "all", 5, BINS, new int[] {0, 2}, new long[] {40, 20},
                new long[] {10, 5}, new long[] {10, 15});
        assertEquals(counts, StatsCodec.survival("north", BINS, StatsCodec.survival(counts)));
        SurvivalRelease.Withheld w = new SurvivalRelease.Withheld("north", "treated", 5,
                "the group has fewer than k = 5 rows");
        assertEquals(w, StatsCodec.survival("north", BINS, StatsCodec.survival(w)));
    }

    @Test
    void aReleaseWithACountBelowKIsRefusedOnArrival() {
        var rogue = org.fedmed.transport.proto.SurvivalRelease.newBuilder().setGroup("all").setK(5)
                .addStarts(0).addAtRisk(30).addEvents(3).addCensored(27).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StatsCodec.survival("rogue", BINS, rogue));
        assertEquals("site 'rogue', group 'all': bin 0 holds a count of 3, which the small-cell rule (k = 5) does not"
                + " release", e.getMessage());
    }
}
