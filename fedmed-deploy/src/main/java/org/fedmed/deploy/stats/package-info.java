/**
 * The statistics exchange of a deployment, on the deployment's side of the wire: the one codec between the data
 * layer's statistics and the protocol's messages, and the fingerprint check of a site's dataset definition.
 */
package org.fedmed.deploy.stats;
