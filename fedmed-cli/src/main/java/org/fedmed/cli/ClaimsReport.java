package org.fedmed.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.AuditEvent;

/**
 * What each site of a run claimed about its size, for {@code fedmed runs --claims}: its first fit claim (its
 * commitment), the largest fit and evaluation claims, and how often its answer was rejected for claiming more than
 * max_count_growth allows, or its weight capped at max_site_weight_share. A site with either is flagged.
 */
final class ClaimsReport {

    private static final class Site {
        Long committed;
        long maxFit;
        long maxEval;
        int rejected;
        int capped;
    }

    private final Map<String, Site> sites = new TreeMap<>();

    ClaimsReport(List<RoundRecord> rounds, List<AuditEntry> audit) {
        for (RoundRecord r : rounds) {
            r.fitClaims().forEach((site, n) -> {
                Site s = site(site);
                if (s.committed == null) {
                    s.committed = n;
                }
                s.maxFit = Math.max(s.maxFit, n);
            });
            r.evalClaims().forEach((site, n) -> site(site).maxEval = Math.max(site(site).maxEval, n));
            for (SiteFailure f : r.failures()) {
                if (f.kind() == SiteFailure.Kind.REJECTED && f.reason().contains("max_count_growth")) {
                    site(f.siteId()).rejected++;
                }
            }
        }
        for (AuditEntry e : audit) {
            if (e.event() == AuditEvent.WEIGHT_CAPPED) {
                site(e.actor()).capped++;
            }
        }
    }

    private Site site(String id) {
        return sites.computeIfAbsent(id, k -> new Site());
    }

    void print(PrintWriter out) {
        out.printf("%-20s %12s %14s %14s %9s %7s  %s%n", "site", "committed", "max fit claim", "max eval claim",
                "rejected", "capped", "");
        sites.forEach((id, s) -> out.printf("%-20s %12s %14d %14d %9d %7d  %s%n", id,
                s.committed == null ? "-" : s.committed.toString(), s.maxFit, s.maxEval, s.rejected, s.capped,
                s.rejected > 0 || s.capped > 0 ? "FLAGGED" : ""));
    }
}
