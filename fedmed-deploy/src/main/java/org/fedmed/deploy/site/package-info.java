/**
 * The site (hospital) side of a real deployment. {@link org.fedmed.deploy.site.SiteConfig} reads the site's YAML:
 * its startup kit, its own data file, its data-governance allow-list and its audit log.
 * {@link org.fedmed.deploy.site.SiteDataLoader} loads the site's CSV exactly as the simulation would for that site.
 * {@link org.fedmed.deploy.site.AllowListPolicy} refuses every task the allow-list does not name, before any model is
 * received; {@link org.fedmed.deploy.site.GovernedSite} trains and evaluates only the model specs it approved, and
 * {@link org.fedmed.deploy.site.JsonLinesAuditLog} keeps the append-only, fsync'd record of every task.
 * {@link org.fedmed.deploy.site.SiteStateFile} keeps what a site carries between the fits of a run (SCAFFOLD's control
 * variate, a personal model) so that a restarted site process continues the run, and
 * {@link org.fedmed.deploy.site.SitePersonalModelFile} is the personal model a run leaves at the site.
 */
package org.fedmed.deploy.site;
