package org.fedmed.server.audit;

/**
 * One entry of an audit log as the {@link AuditChain} verifier sees it, at its position in the log (a line number
 * or an entry id): a chained entry with the hashes it claims and the hash of its content, an entry written before
 * the log was chained, or something that is not an entry at all.
 */
public sealed interface ChainEntry permits ChainEntry.Chained, ChainEntry.Unchained, ChainEntry.Broken {

    /** The entry's line number or id; positive. */
    long position();

    /**
     * An entry that carries hashes.
     *
     * @param prev     the hash it claims for the entry before it ({@link AuditChain#GENESIS} for the first)
     * @param hash     the hash it claims for itself
     * @param computed the hash of its canonical bytes as they are now ({@link AuditChain#hash})
     */
    record Chained(long position, String prev, String hash, String computed) implements ChainEntry {
        public Chained {
            requirePosition(position);
            requireHash(position, "prev", prev);
            requireHash(position, "hash", hash);
            requireHash(position, "computed", computed);
        }
    }

    /** An entry without hashes: written before the log was chained. */
    record Unchained(long position) implements ChainEntry {
        public Unchained {
            requirePosition(position);
        }
    }

    /** A position that holds no verifiable entry: an unreadable line, a malformed or half-present hash. */
    record Broken(long position, ChainBreak.Kind kind, String detail) implements ChainEntry {
        public Broken {
            requirePosition(position);
            if (kind == null || detail == null || detail.isBlank()) {
                throw new IllegalArgumentException("broken entry at " + position + ": kind and detail are required");
            }
        }
    }

    private static void requirePosition(long position) {
        if (position < 1) {
            throw new IllegalArgumentException("chain entry position must be >= 1, got " + position);
        }
    }

    private static void requireHash(long position, String field, String value) {
        if (!AuditChain.isHash(value)) {
            throw new IllegalArgumentException("chain entry at " + position + ": '" + field
                    + "' must be 64 lower-case hex digits, got " + (value == null ? "null" : "'" + value + "'"));
        }
    }
}
