/**
 * Survival analysis at a site: a Cox proportional-hazards model whose partial likelihood uses risk sets within the
 * site's own rows (Breslow ties, or the per-batch risk sets of FLamby's Fed-TCGA-BRCA benchmark), its trainer, and
 * Harrell's concordance index computed as lifelines computes it, per site and pooled from per-site pair counts.
 * Parameters are ordinary {@link org.fedmed.core.ModelParameters}, so the server averages Cox coefficients as it
 * averages any other model.
 */
package org.fedmed.ml.survival;
