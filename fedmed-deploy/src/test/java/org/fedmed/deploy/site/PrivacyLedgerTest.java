package org.fedmed.deploy.site;

import static org.fedmed.deploy.site.GovernedSiteDpSgdTest.DELTA;
import static org.fedmed.deploy.site.GovernedSiteDpSgdTest.MODEL;
import static org.fedmed.deploy.site.GovernedSiteDpSgdTest.SPEC;
import static org.fedmed.deploy.site.GovernedSiteDpSgdTest.epsilonAfter;
import static org.fedmed.deploy.site.GovernedSiteTest.DATA;
import static org.fedmed.deploy.site.GovernedSiteTest.fitOffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fedmed.core.FitTask;
import org.fedmed.transport.TaskKind;
import org.fedmed.transport.site.PolicyDecision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A site's privacy account survives restarts: a new process continues from the ledger the old one wrote. */
class PrivacyLedgerTest {

    static GovernedSite site(Double maxEpsilon, Path ledger) {
        return new GovernedSite(DATA, new AllowListPolicy(new AllowList(Set.of(TaskKind.FIT, TaskKind.EVALUATE),
                List.of("fedavg"), List.of(SPEC), 10, 10_000)),
                new DpSgdSettings(1.0, 1.1, DELTA, maxEpsilon, 42L), PrivacyLedger.open(ledger));
    }

    static void fit(GovernedSite site, int round) {
        assertTrue(site.review(fitOffer(round, SPEC, MODEL)).accepted(), "round " + round);
        site.fit(new FitTask(round, GovernedSiteTest.SITE, MODEL.init(5), GovernedSiteTest.FIT));
    }

    @Test
    void restartedSiteContinuesFromTheEpsilonItHadSpent(@TempDir Path tmp) {
        Path ledger = tmp.resolve("audit-privacy.jsonl");
        GovernedSite first = site(null, ledger);
        fit(first, 1);
        fit(first, 2);
        assertEquals(2, lines(ledger), "one ledger line per fit");

        GovernedSite restarted = site(null, ledger);
        assertEquals(epsilonAfter(2), restarted.epsilonSpent().orElseThrow(), 1e-9, "before any fit");
        fit(restarted, 3);
        assertEquals(epsilonAfter(3), restarted.epsilonSpent().orElseThrow(), 1e-9, "the three fits of its life");
    }

    @Test
    void budgetHoldsAcrossARestart(@TempDir Path tmp) {
        Path ledger = tmp.resolve("audit-privacy.jsonl");
        fit(site(epsilonAfter(1), ledger), 1);
        PolicyDecision d = site(epsilonAfter(1), ledger).review(fitOffer(2, SPEC, MODEL));
        assertFalse(d.accepted());
        assertTrue(d.reason().startsWith("privacy budget"), d.reason());
    }

    @Test
    void unreadableLedgerStopsTheSiteNamingTheLine(@TempDir Path tmp) throws Exception {
        Path ledger = tmp.resolve("audit-privacy.jsonl");
        fit(site(null, ledger), 1);
        Files.writeString(ledger, "{\"sampling_rate\": 0.1, \"noise\n", java.nio.file.StandardOpenOption.APPEND);
        var e = assertThrows(IllegalStateException.class, () -> PrivacyLedger.open(ledger));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains(ledger.toString()), e.getMessage());
    }

    @Test
    void ledgerIsAHashChainThatContinuesAcrossRestarts(@TempDir Path tmp) {
        Path ledger = tmp.resolve("audit-privacy.jsonl");
        fit(site(null, ledger), 1);
        fit(site(null, ledger), 2);
        var r = JsonLinesChain.verify(ledger);
        assertTrue(r.intact(), r.summary());
        assertEquals(2, r.entries());
        assertEquals(0, r.unchained());
    }

    @Test
    void aLedgerLineEditedToSpendLessStopsTheSiteNamingTheLine(@TempDir Path tmp) throws Exception {
        Path ledger = tmp.resolve("audit-privacy.jsonl");
        GovernedSite first = site(null, ledger);
        fit(first, 1);
        fit(first, 2);
        List<String> raw = new java.util.ArrayList<>(Files.readAllLines(ledger));
        String edited = raw.get(0).replaceFirst("\"steps\":\\d+", "\"steps\":1");
        assertTrue(!edited.equals(raw.get(0)), "the edit took");
        raw.set(0, edited);
        Files.writeString(ledger, String.join("\n", raw) + "\n");
        var e = assertThrows(IllegalStateException.class, () -> PrivacyLedger.open(ledger));
        assertTrue(e.getMessage().contains("line 1 (content changed)") && e.getMessage().contains(ledger.toString()),
                e.getMessage());
    }

    @Test
    void aLedgerWhoseLastLineWasCutOffStopsTheSite(@TempDir Path tmp) throws Exception {
        Path ledger = tmp.resolve("audit-privacy.jsonl");
        fit(site(null, ledger), 1);
        byte[] all = Files.readAllBytes(ledger);
        Files.write(ledger, java.util.Arrays.copyOf(all, all.length - 10));
        var e = assertThrows(IllegalStateException.class, () -> PrivacyLedger.open(ledger));
        assertTrue(e.getMessage().contains("line 1 (unreadable)"), e.getMessage());
    }

    @Test
    void ledgerSitsBesideTheAuditLog() {
        assertEquals(Path.of("logs", "cleveland-privacy.jsonl"), SiteProcess.ledgerFile(Path.of("logs", "cleveland.jsonl")));
    }

    static long lines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
