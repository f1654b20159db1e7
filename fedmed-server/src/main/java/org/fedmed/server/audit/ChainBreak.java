package org.fedmed.server.audit;

import java.util.Locale;

/**
 * The first place an audit log's hash chain does not hold: where (a line number or entry id), what kind of
 * break it is, and a sentence saying what is wrong there.
 *
 * @param position the line number or entry id of the first entry that does not verify
 * @param kind     what is wrong
 * @param detail   what was expected and found, naming the other entry involved when there is one
 */
public record ChainBreak(long position, Kind kind, String detail) {

    /** What is wrong at a break. */
    public enum Kind {
        /** The entry's content no longer matches its own hash: a field was changed. */
        CONTENT_CHANGED,
        /** The entry's {@code prev} matches no entry in the log: the entry before it was removed or replaced. */
        ENTRY_MISSING,
        /** The entry's {@code prev} is the hash of another entry than the one before it: entries were moved or inserted. */
        OUT_OF_ORDER,
        /** A hash is missing or malformed, or an entry without hashes follows chained ones. */
        BAD_HASH,
        /** The position holds no readable entry: not a JSON object, or a line cut off at the end of the file. */
        UNREADABLE;

        /** The kind in messages, for example {@code content changed}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public ChainBreak {
        if (position < 1 || kind == null || detail == null || detail.isBlank()) {
            throw new IllegalArgumentException("chain break needs a position >= 1, a kind and a detail; got "
                    + position + ", " + kind + ", " + detail);
        }
    }
}
