/**
 * Populations of virtual sites simulated on Apache Spark, an optional engine of {@code fedmed simulate}: one Spark job
 * per round ({@link org.fedmed.spark.SparkSitePool}), whose tasks build their sites from the seed
 * ({@link org.fedmed.spark.PopulationSites}), train them as an in-process pool does, and fold their updates where
 * they trained; embedded on {@code local[N]} or on a standalone cluster, by master URL alone
 * ({@link org.fedmed.spark.SparkContexts}). Found by the command line as a
 * {@link org.fedmed.sim.PopulationPoolProvider} service, so no other module depends on Spark.
 */
package org.fedmed.spark;
