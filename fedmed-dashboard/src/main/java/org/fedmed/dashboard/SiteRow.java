package org.fedmed.dashboard;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One site of the federation as the store records it.
 *
 * @param site          the site id
 * @param state         {@code connected} (joined and not left since), {@code left}, or {@code unseen} (only in rounds)
 * @param lastContact   the later of the site's latest audit entry (joins, tasks, results, failures) and the last
 *                      message the server heard from it, heartbeats included, as the server records it each
 *                      heartbeat interval
 * @param claimed       the example count the site claimed in its latest fit
 * @param capped        how many times its aggregation weight was bounded (capped) to its share
 * @param roundsTaken   rounds in which its fit succeeded
 * @param roundsFailed  rounds in which its fit or evaluation failed (error, timeout, rejected)
 * @param refusals      tasks it declined, and admissions the server refused under its name
 */
public record SiteRow(String site, String state, Optional<Instant> lastContact, OptionalLong claimed, int capped,
                      int roundsTaken, int roundsFailed, int refusals) {
    public SiteRow {
        if (site == null || state == null || lastContact == null || claimed == null) {
            throw new IllegalArgumentException("site, state, lastContact and claimed are required");
        }
    }
}
