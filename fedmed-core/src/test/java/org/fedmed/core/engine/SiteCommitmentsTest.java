package org.fedmed.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.strategy.InfluenceLimits;
import org.junit.jupiter.api.Test;

class SiteCommitmentsTest {

    private final SiteCommitments intake = new SiteCommitments(new InfluenceLimits(0.5, 2.0), 10);

    @Test
    void theFirstClaimIsTheCommitmentAndUpToTwiceItIsAccepted() {
        assertEquals(Optional.empty(), intake.check(SiteCommitments.Kind.FIT, "a", 1, 100));
        assertEquals(Optional.empty(), intake.check(SiteCommitments.Kind.FIT, "a", 2, 200));
        assertEquals(Optional.empty(), intake.check(SiteCommitments.Kind.FIT, "a", 3, 40));
        assertEquals(Optional.of(100L), intake.commitment(SiteCommitments.Kind.FIT, "a"));
    }

    @Test
    void aClaimAboveTheGrowthFactorIsRejectedWithTheCommitmentNamed() {
        intake.check(SiteCommitments.Kind.FIT, "liar", 1, 100);
        String reason = intake.check(SiteCommitments.Kind.FIT, "liar", 4, 100_000_000_100L).orElseThrow();
        assertEquals("site 'liar' claims 100000000100 examples trained on, more than max_count_growth 2.0 times the"
                + " 100 it committed to in round 1; its update is rejected", reason);
    }

    @Test
    void fitAndEvaluationCommitmentsAreSeparate() {
        intake.check(SiteCommitments.Kind.FIT, "a", 1, 300);
        assertEquals(Optional.empty(), intake.check(SiteCommitments.Kind.EVALUATE, "a", 1, 30));
        assertTrue(intake.check(SiteCommitments.Kind.EVALUATE, "a", 2, 61).isPresent());
    }

    @Test
    void anAnswerOnFewerThanMinRowsIsRefused() {
        String reason = intake.check(SiteCommitments.Kind.EVALUATE, "tiny", 1, 3).orElseThrow();
        assertEquals("site 'tiny' evaluated on 3 row(s), fewer than min_rows 10; none of its numbers is kept", reason);
    }

    @Test
    void restoredCommitmentsSurviveARestart() {
        RoundRecord r1 = new RoundRecord(1, List.of("a"), List.of("a"), List.of(), true, Map.of(), Map.of(), Map.of(),
                5, Map.of("a", 100L), Map.of("a", 25L));
        RoundRecord r2 = new RoundRecord(2, List.of("a"), List.of("a"), List.of(), true, Map.of(), Map.of(), Map.of(),
                5, Map.of("a", 150L), Map.of());
        SiteCommitments resumed = new SiteCommitments(new InfluenceLimits(0.5, 2.0), 10);
        resumed.restore(r1);
        resumed.restore(r2);
        assertEquals(Optional.of(100L), resumed.commitment(SiteCommitments.Kind.FIT, "a"));
        assertTrue(resumed.check(SiteCommitments.Kind.FIT, "a", 3, 201).isPresent());
        assertTrue(resumed.check(SiteCommitments.Kind.EVALUATE, "a", 3, 51).isPresent());
    }
}
