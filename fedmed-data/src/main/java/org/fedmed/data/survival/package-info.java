/**
 * Kaplan-Meier curves and the log-rank test by federated analytics: each site turns its rows into counts per time
 * bin on edges every site shares (events, censored rows, rows at risk at the bin's start), merges bins until no
 * count from 1 to k-1 is left (the small-cell rule of {@link org.fedmed.data.stats.SmallCells}), and releases only
 * those counts, never a patient's time. The server pools the counts on the bins every site kept and computes the
 * survival curve with Greenwood's variance and band, and the log-rank test between two groups, from them alone.
 */
package org.fedmed.data.survival;
