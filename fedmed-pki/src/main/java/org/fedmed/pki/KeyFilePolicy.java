package org.fedmed.pki;

/**
 * Which permissions a kit's private key file may have when a server or site process starts with it. A key that
 * others can read is a key others may have copied, so the default refuses it; {@code fedmed server} and
 * {@code fedmed site} offer {@code --allow-readable-key} to start anyway, with a warning naming the file.
 * Where the file system has no POSIX permissions, there is nothing to check and both policies accept the key.
 */
public enum KeyFilePolicy {
    /** Refuse a key file readable, writable or executable by group or others (anything beyond {@code 0600}). */
    REQUIRE_OWNER_ONLY,
    /** Accept such a key file, logging a warning with its mode and the fix. */
    ALLOW_READABLE
}
