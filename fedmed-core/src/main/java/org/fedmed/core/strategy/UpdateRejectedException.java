package org.fedmed.core.strategy;

/**
 * Raised when a site's update cannot be aggregated; the message names the site and what is wrong, and
 * {@link #reason()} is the part a site is told. The reasons are worded in one place, {@link UpdateIntake}.
 */
public class UpdateRejectedException extends Exception {
    private final String siteId;
    private final String reason;

    public UpdateRejectedException(String siteId, String reason) {
        super("update from site '" + siteId + "' rejected: " + reason);
        this.siteId = siteId;
        this.reason = reason;
    }

    public String siteId() {
        return siteId;
    }

    /** What is wrong with the update, without the site: the words the site itself is told. */
    public String reason() {
        return reason;
    }
}
