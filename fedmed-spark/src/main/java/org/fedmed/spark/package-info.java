/** Runs a population's rounds on Apache Spark: one job per round, sites built and trained inside the tasks. */
package org.fedmed.spark;
