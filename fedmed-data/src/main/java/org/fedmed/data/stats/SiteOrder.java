package org.fedmed.data.stats;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The one order in which sites' statistics are merged, in simulation and in deployment alike: ascending site id,
 * compared as Java strings ({@link String#compareTo}, UTF-16 code units; {@code "site-10"} sorts before
 * {@code "site-2"}). Floating-point merges are not associative, so the order is part of the result: a deployment's
 * server merges its sites' replies in this order and so computes the very numbers the simulation computes.
 */
public final class SiteOrder {

    private SiteOrder() {
    }

    /**
     * The positions of {@code siteIds} in canonical order: {@code siteIds.get(result[0])} is the smallest id.
     *
     * @throws IllegalArgumentException if an id is blank or appears twice
     */
    public static int[] canonical(List<String> siteIds) {
        var seen = new HashSet<String>();
        for (String id : siteIds) {
            if (id == null || id.isBlank() || !seen.add(id)) {
                throw new IllegalArgumentException("site ids must be distinct and not blank, got " + siteIds);
            }
        }
        return IntStream.range(0, siteIds.size()).boxed().sorted(Comparator.comparing(siteIds::get))
                .mapToInt(Integer::intValue).toArray();
    }

    /** {@code siteIds} in canonical order. */
    public static List<String> sorted(List<String> siteIds) {
        return IntStream.of(canonical(siteIds)).mapToObj(siteIds::get).toList();
    }
}
