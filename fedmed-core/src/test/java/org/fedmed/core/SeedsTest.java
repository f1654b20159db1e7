package org.fedmed.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.fedmed.core.Seeds.Stream;
import org.junit.jupiter.api.Test;

class SeedsTest {

    /*
     * The literals were computed outside Java from the documented derivation (Python's hashlib and struct):
     * sha256(pack('>q', seed) + pack('>i', len(name)) + name + pack('>i', len(site)) + site + pack('>q', round)),
     * first 8 bytes as a big-endian signed integer. A change here changes every run's results.
     */
    @Test
    void derivationMatchesTheDocumentedSha256Encoding() {
        assertEquals(-5332346057706888930L, Seeds.ofSite(42, Stream.SITE_SPLIT, "cleveland"));
        assertEquals(5434523892304925438L, Seeds.ofSiteRound(42, Stream.SITE_FIT, "cleveland", 3));
        assertEquals(-6591657759812500958L, Seeds.of(42, Stream.INIT));
        assertEquals(-7677540906036370875L, Seeds.ofRound(-7, Stream.SITE_SELECTION, 1));
    }

    @Test
    void siteIdsAreEncodedAsUtf8() {
        assertEquals(5801609104141553584L, Seeds.ofSite(42, Stream.SITE_DP_SGD_NOISE, "h\u00f4pital-\u00e9"));
    }

    @Test
    void substreamIsSplitMix64OverSeedAndKey() {
        assertEquals(6349198060258255764L, Seeds.substream(42, 3));
        assertEquals(-5417735806833148549L, Seeds.substream(-1, -1));
    }

    @Test
    void sameInputsGiveTheSameSeed() {
        assertEquals(Seeds.ofSiteRound(7, Stream.SITE_FIT, "a", 2), Seeds.ofSiteRound(7, Stream.SITE_FIT, "a", 2));
        assertEquals(Seeds.of(7, Stream.PARTITION), Seeds.of(7, Stream.PARTITION));
    }

    @Test
    void everyStreamGivesItsOwnSeedForTheSameRunSiteAndRound() {
        Set<Long> seeds = new HashSet<>();
        for (Stream s : Stream.values()) {
            long seed = switch (s.scope()) {
                case RUN -> Seeds.of(42, s);
                case ROUND -> Seeds.ofRound(42, s, 1);
                case SITE -> Seeds.ofSite(42, s, "site-0");
                case SITE_ROUND -> Seeds.ofSiteRound(42, s, "site-0", 1);
            };
            assertTrue(seeds.add(seed), s + " repeats another stream's seed");
        }
    }

    @Test
    void siteRoundAndRunSeedEachChangeTheSeed() {
        long base = Seeds.ofSiteRound(42, Stream.SITE_FIT, "site-1", 1);
        assertNotEquals(base, Seeds.ofSiteRound(42, Stream.SITE_FIT, "site-2", 1));
        assertNotEquals(base, Seeds.ofSiteRound(42, Stream.SITE_FIT, "site-1", 2));
        assertNotEquals(base, Seeds.ofSiteRound(43, Stream.SITE_FIT, "site-1", 1));
    }

    @Test
    void siteIdsThatCollideUnderStringHashCodeGetDistinctSeeds() {
        assertEquals("Aa".hashCode(), "BB".hashCode(), "control: the two ids collide under String.hashCode");
        assertNotEquals(Seeds.ofSite(42, Stream.SITE_SPLIT, "Aa"), Seeds.ofSite(42, Stream.SITE_SPLIT, "BB"));
    }

    @Test
    void askingAStreamOutsideItsScopeIsRefusedNamingTheStream() {
        var e = assertThrows(IllegalArgumentException.class, () -> Seeds.of(42, Stream.SITE_SPLIT));
        assertEquals("seed stream SITE_SPLIT is per SITE, not per RUN", e.getMessage());
        var round = assertThrows(IllegalArgumentException.class, () -> Seeds.ofRound(42, Stream.SITE_SELECTION, 0));
        assertEquals("seed stream SITE_SELECTION: round must be >= 1, got 0", round.getMessage());
        var site = assertThrows(IllegalArgumentException.class, () -> Seeds.ofSite(42, Stream.SITE_SPLIT, " "));
        assertEquals("seed stream SITE_SPLIT needs a site id, got ' '", site.getMessage());
    }
}
