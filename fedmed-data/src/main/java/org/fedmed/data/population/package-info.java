/**
 * Populations of virtual sites: a {@link org.fedmed.data.population.PopulationSpec} (a base dataset drawn from per
 * site, or a synthetic wearable-style generator; a size up to billions; a seed) opens as a
 * {@link org.fedmed.data.population.Population}, which builds any one site's data on demand from the run seed and
 * the site's index alone. Nothing here holds per-site state, so a population costs what a round samples from it,
 * not what it holds, and two JVMs build the same site the same way.
 */
package org.fedmed.data.population;
