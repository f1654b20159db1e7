package org.fedmed.data.population;

/**
 * How a virtual site drawn from a base dataset mixes the labels of its rows, the population counterparts of the
 * partitioners in {@link org.fedmed.data.partition}. Every site draws its rows from the base pool with replacement,
 * by its own seeded stream, so sites overlap in rows but never depend on each other.
 */
public enum SiteMix {
    /** Each row uniform over the base pool: every site has the pool's class mix (up to sampling). */
    IID,
    /**
     * Label skew as {@link org.fedmed.data.partition.DirichletPartitioner}: the site's class proportions are a
     * symmetric Dirichlet(alpha) draw, then each row's class from them and the row uniform within that class.
     */
    DIRICHLET,
    /**
     * Quantity skew as {@link org.fedmed.data.partition.QuantitySkewPartitioner}: rows uniform over the pool, the
     * site's row count from a spread-out {@link RowCount} (its {@code sigma} must be above 0).
     */
    QUANTITY,
    /**
     * {@code k} classes per site as {@link org.fedmed.data.partition.ClassesPerSitePartitioner} (NIID-Bench's
     * "#C=k"): site i's first class is {@code i mod classes}, the others distinct and at random; each row's class
     * uniform among the site's k.
     */
    CLASSES
}
