package org.fedmed.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fit's local terms: none by default, kept by every wither, validated with the key at fault. */
class FitConfigTermsTest {

    static final FitConfig PLAIN = new FitConfig(2, 8, 0.1, false, 5);

    @Test
    void theConstructorsWithoutTermsGivePlainTraining() {
        assertEquals(List.of(), PLAIN.terms());
        assertEquals(List.of(), new FitConfig(LocalWork.steps(3), 8, 0.1, true, 5).terms());
    }

    @Test
    void withTermsSetsTheTermsAndEveryOtherWitherKeepsThem() {
        List<LocalTerm> prox = List.of(new LocalTerm.Proximal(0.01));
        FitConfig fit = PLAIN.withTerms(prox);
        assertEquals(prox, fit.terms());
        assertEquals(prox, fit.withSeed(9).terms());
        assertEquals(prox, fit.withWork(LocalWork.steps(4)).terms());
        assertEquals(List.of(), fit.withTerms(List.of()).terms());
        assertEquals(PLAIN, fit.withTerms(List.of()));
    }

    @Test
    void theTermsAreCopied() {
        List<LocalTerm> terms = new ArrayList<>(List.of(new LocalTerm.Proximal(0.5)));
        FitConfig fit = PLAIN.withTerms(terms);
        terms.clear();
        assertEquals(List.of(new LocalTerm.Proximal(0.5)), fit.terms());
    }

    @Test
    void muMustBeFiniteAndNotNegativeTheErrorNamingProxMu() {
        for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
            var e = assertThrows(IllegalArgumentException.class, () -> new LocalTerm.Proximal(bad));
            assertEquals("prox_mu must be a finite number >= 0, got " + bad, e.getMessage());
        }
        assertEquals(0.0, new LocalTerm.Proximal(0).mu());
    }

    @Test
    void aTermKindGivenTwiceOrANullTermIsRefused() {
        var twice = assertThrows(IllegalArgumentException.class, () -> PLAIN.withTerms(
                List.of(new LocalTerm.Proximal(0.1), new LocalTerm.Proximal(0.2))));
        assertEquals("a fit takes at most one local term 'proximal', got [proximal v1 [0.1], proximal v1 [0.2]]",
                twice.getMessage());
        List<LocalTerm> withNull = new ArrayList<>();
        withNull.add(null);
        var nul = assertThrows(IllegalArgumentException.class, () -> PLAIN.withTerms(withNull));
        assertTrue(nul.getMessage().contains("must not hold null"), nul.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PLAIN.withTerms(null));
    }

    @Test
    void theProximalTermIsNamedVersionedAndCarriesMu() {
        LocalTerm t = new LocalTerm.Proximal(0.25);
        assertEquals("proximal", t.name());
        assertEquals(1, t.version());
        assertEquals(List.of(0.25), t.values());
    }
}
