package org.fedmed.data.registry;

/** Whether a registered dataset can be used on this machine. */
public enum Availability {
    /** Every file was found and matches its SHA-256. */
    PRESENT,
    /** At least one file was not found in any search root. */
    MISSING,
    /** Every file was found, but at least one does not match its SHA-256. */
    CHECKSUM_MISMATCH
}
