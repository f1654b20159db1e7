package org.fedmed.spark;

/** How a Spark pool combines a round's updates. */
public enum Tiers {
    /** One tier: every site's update into one mean. */
    FLAT,
    /**
     * Two tiers: each region's sites into a regional mean first (by key, on the executors), then the regional means
     * into the global one, each weighted by its region's total weight: what regional relay servers would do.
     */
    REGIONAL
}
