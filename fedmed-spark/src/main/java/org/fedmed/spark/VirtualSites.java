package org.fedmed.spark;

import java.io.Serializable;
import java.util.List;
import org.fedmed.core.SiteClient;

/**
 * A population of virtual sites as a Spark job sees it: the ids the driver samples from, and a recipe that builds
 * any one site (its data and its trainer) from nothing but the run seed and the site's id, wherever it runs. It is
 * serialized into every task, so it holds descriptions (a population spec, a model spec, a seed), never data; the
 * site it builds is the same object, with the same rows, in a Spark task, in an in-process pool or alone.
 */
public interface VirtualSites extends Serializable {

    /** The ids of every site of the population, in index order. A lazy view: it need not hold them. */
    List<String> siteIds();

    /** Builds site {@code siteId}: its data drawn from the seed, and a client that trains it as any site trains. */
    SiteClient site(String siteId);

    /** The region the site belongs to, for hierarchical aggregation. */
    String region(String siteId);
}
