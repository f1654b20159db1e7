package org.fedmed.core.engine;

/** A site that did not deliver a usable result in a round, and why. Recorded; never fatal to the round by itself. */
public record SiteFailure(int round, String siteId, Kind kind, String reason) implements java.io.Serializable {

    /** How the site failed. */
    public enum Kind {
        /** The site raised an error or could not be reached. */
        ERROR,
        /** The site did not answer before the round's deadline. */
        TIMEOUT,
        /** The site answered, but its update was refused by the aggregator. */
        REJECTED
    }

    /** The failure as a log line names it, for example {@code site 'lyon' timeout: no answer within 5 s}. */
    public String describe() {
        return "site '" + siteId + "' " + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + reason;
    }
}
