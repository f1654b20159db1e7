package org.fedmed.cli;

import java.io.PrintWriter;
import org.fedmed.server.audit.ChainReport;

/** Prints the reports of an audit-chain verification and gives its exit status: 0 intact, {@value #BROKEN} broken. */
final class AuditVerdict {

    /** Exit status of {@code --verify-audit} when a chain is broken. */
    static final int BROKEN = 4;

    private final PrintWriter out;
    private boolean broken;

    AuditVerdict(PrintWriter out) {
        this.out = out;
    }

    /** Prints one log's report as {@code label: summary}. */
    void report(String label, ChainReport report) {
        out.println(label + ": " + report.summary());
        broken |= !report.intact();
    }

    /** 0 when every reported chain is intact, else {@link #BROKEN}. */
    int exitStatus() {
        out.flush();
        return broken ? BROKEN : 0;
    }
}
