package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrivacySecAggCommandTest {

    @Test
    void printsDegreeThresholdCostAndGuaranteeForTheThreatModel() {
        // Google's published parameters for 1000 clients, 5% corrupt, 33% dropout, semi-honest server: k 72, t 24.
        PrivacyCommandTest.Run r = PrivacyCommandTest.run("secagg", "--sites", "1000", "--corrupt", "0.05",
                "--dropout", "0.33", "--server", "honest_but_curious");
        assertEquals(0, r.exit(), r.err() + r.thrown());
        assertTrue(r.out().contains("degree k = 72, threshold t = 2"), r.out());
        assertTrue(r.out().contains("72 of 999 neighbours, 7.2% of classic SecAgg"), r.out());
        assertTrue(r.out().contains("(target 2^-40)"), r.out());
        assertTrue(r.out().contains("(target 2^-20)"), r.out());
    }

    @Test
    void leftOutFractionsAreTheOnesASecureAggregationSectionAssumes() {
        assertEquals(0.05, org.fedmed.plan.SecAggSettings.DEFAULT_CORRUPT_FRACTION);
        assertEquals(0.1, org.fedmed.plan.SecAggSettings.DEFAULT_DROPOUT_FRACTION);
        PrivacyCommandTest.Run r = PrivacyCommandTest.run("secagg", "--sites", "100");
        assertEquals(0, r.exit(), r.err() + r.thrown());
        // the threat model docs/privacy.md sizes for 100 sites at 5% corrupt and 10% dropout
        assertTrue(r.out().startsWith("degree k = 26, threshold t = 16 (100 sites, semi_malicious server)"), r.out());
        assertTrue(r.out().contains("config: secure_aggregation: {corrupt_fraction: 0.05, dropout_fraction: 0.1,"),
                r.out());
    }

    @Test
    void aFractionOutOfRangeIsRefusedNamingTheFlag() {
        PrivacyCommandTest.Run r = PrivacyCommandTest.run("secagg", "--sites", "100", "--corrupt", "0.05",
                "--dropout", "1.2");
        assertEquals(2, r.exit());
        assertInstanceOf(IllegalArgumentException.class, r.thrown());
        assertTrue(r.thrown().getMessage().startsWith("--dropout must be in [0, 1)"), r.thrown().getMessage());
    }

    @Test
    void theAccountingFormStillNeedsItsOptions() {
        PrivacyCommandTest.Run r = PrivacyCommandTest.run("--noise", "1.0");
        assertTrue(r.exit() != 0);
        assertTrue(r.err().contains("--sample-rate"), r.err());
    }
}
