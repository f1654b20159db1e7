package org.fedmed.core.engine;

/**
 * Where an in-process pool's time went over some rounds, each figure summed over sites: building sites' data and
 * clients ({@code buildNanos}, for a pool that builds them on demand), in their fit calls and in their evaluate
 * calls; and how many sites were built.
 */
public record SiteTimes(long buildNanos, long fitNanos, long evaluateNanos, long sitesBuilt) {

    public SiteTimes {
        if (buildNanos < 0 || fitNanos < 0 || evaluateNanos < 0 || sitesBuilt < 0) {
            throw new IllegalArgumentException("site times must be >= 0, got build " + buildNanos + ", fit " + fitNanos
                    + ", evaluate " + evaluateNanos + ", built " + sitesBuilt);
        }
    }
}
