package org.fedmed.deploy.site;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.server.audit.AuditChain;
import org.fedmed.server.audit.ChainReport;

/**
 * Verifies a site's tamper-evident logs without starting the site or writing anything: the hash chain of its
 * audit log, and of its privacy ledger when there is one. Each report names the first line that was changed,
 * removed, inserted or moved, or cut off.
 */
public final class SiteLogVerifier {

    /** One verified log: what it is, its file and what its chain showed. */
    public record Verified(String log, Path file, ChainReport report) {
        public Verified {
            if (log == null || file == null || report == null) {
                throw new IllegalArgumentException("verified log needs a name, a file and a report");
            }
        }
    }

    private SiteLogVerifier() {
    }

    /**
     * Verifies the audit log the config names ({@code audit_log}) and the privacy ledger beside it. A missing
     * ledger is reported with a note when the config trains with DP-SGD, and left out otherwise.
     *
     * @throws IllegalArgumentException the audit log does not exist
     */
    public static List<Verified> verify(SiteConfig config) {
        Path audit = config.auditLog();
        if (!Files.isRegularFile(audit)) {
            throw new IllegalArgumentException("audit log " + audit + " (key 'audit_log') does not exist: the site has"
                    + " written nothing there, or the file was moved");
        }
        List<Verified> out = new ArrayList<>();
        out.add(new Verified("audit log", audit, JsonLinesChain.verify(audit)));
        Path ledger = SiteProcess.ledgerFile(audit);
        if (Files.isRegularFile(ledger)) {
            out.add(new Verified("privacy ledger", ledger, JsonLinesChain.verify(ledger)));
        } else if (config.dpSgd() != null) {
            out.add(new Verified("privacy ledger", ledger, AuditChain.verify("line", List.of(), List.of(
                    "the file does not exist: no DP-SGD fit has been recorded, or the file was removed"))));
        }
        return out;
    }
}
