/**
 * Survival analysis at a site: a Cox proportional-hazards model whose partial likelihood uses risk sets within the
 * site's own rows (Breslow ties, or the per-batch risk sets of FLamby's Fed-TCGA-BRCA benchmark), its spec and the
 * spec's strict reader, its trainer, and Harrell's concordance index computed as lifelines computes it, per site and
 * pooled from per-site pair counts. {@link org.fedmed.ml.survival.CoxNetwork} is the Cox model as an
 * {@link org.fedmed.ml.Model} over time-and-event rows, which is what a plan's {@code model: {type: cox}} builds and
 * what the ordinary site client trains. Parameters are ordinary {@link org.fedmed.core.ModelParameters}, so the
 * server averages Cox coefficients as it averages any other model.
 */
package org.fedmed.ml.survival;
