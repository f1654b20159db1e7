package org.fedmed.core.strategy;

/** Raised when a site's update cannot be aggregated; the message names the site and what is wrong. */
public class UpdateRejectedException extends Exception {
    private final String siteId;

    public UpdateRejectedException(String siteId, String reason) {
        super("update from site '" + siteId + "' rejected: " + reason);
        this.siteId = siteId;
    }

    public String siteId() {
        return siteId;
    }
}
