/**
 * Tamper evidence for audit logs: a hash chain in which each entry carries the SHA-256 of the one before it, and
 * a verifier that names the first entry where the chain breaks. The site's JSON-lines logs and the run store's
 * audit table share it, so both hash the same canonical bytes the same way.
 */
package org.fedmed.server.audit;
