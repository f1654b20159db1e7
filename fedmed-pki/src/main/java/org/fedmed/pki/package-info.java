/**
 * A federation's public-key infrastructure: its CA, the server and site certificates, the revocation list and
 * the startup kits, and the operations on them after provisioning ({@link org.fedmed.pki.Provisioner} creates a
 * federation; {@link org.fedmed.pki.Enroller} adds a site, {@link org.fedmed.pki.Renewer} renews a certificate,
 * {@link org.fedmed.pki.Revoker} revokes one, {@link org.fedmed.pki.FederationStatus} reports them all).
 * {@link org.fedmed.pki.Authorization} decides whether a TLS peer is an admitted site; kits are checked before a
 * process uses them ({@link org.fedmed.pki.SiteKit#load(java.nio.file.Path, org.fedmed.pki.KeyFilePolicy)}).
 */
package org.fedmed.pki;
