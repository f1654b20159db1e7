package org.fedmed.data.population;

/** How a population's sites are assigned to its regions (region r of R, numbered from 0). */
public enum RegionRule {
    /** Contiguous index ranges: site i of N is in region {@code floor(i * R / N)}, so regions differ by at most one site. */
    BLOCKS,
    /** Round robin: site i is in region {@code i mod R}. */
    STRIDE
}
