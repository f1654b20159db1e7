package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedmed.server.audit.ChainReport;
import org.fedmed.server.store.AuditEntry;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed runs}: the runs in a server's run store, and a run's audit log. */
@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists the runs in a run store: id, name, status, rounds recorded, when it started and",
                "why it stopped. With --audit NAME, prints that run's audit log: who joined and left, whose",
                "certificate was refused, tasks sent, results received, refusals and rejected updates.",
                "With --claims NAME, prints the example counts each site claimed in that run, what it committed",
                "to, and the sites flagged for claims above max_count_growth or weights capped at their share.",
                "With --verify-audit, checks each run's audit hash chain (exit status " + AuditVerdict.BROKEN + " if broken)."})
final class RunsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    StoreSource source;
    @Option(names = "--audit", paramLabel = "NAME", description = "Print the audit log of the latest run of this name.")
    String audit;
    @Option(names = "--claims", paramLabel = "NAME",
            description = "Print each site's claimed example counts in the latest run of this name, and flags.")
    String claims;
    @Option(names = "--verify-audit", description = {"Check the hash chain of each run's audit log and name the first",
            "broken entry; exit status " + AuditVerdict.BROKEN + " if one is broken."})
    boolean verifyAudit;
    @Option(names = "--run", paramLabel = "NAME", description = "With --verify-audit: only the latest run of this name.")
    String run;

    @Override
    public Integer call() {
        Path db = source.database();
        PrintWriter out = spec.commandLine().getOut();
        if (run != null && !verifyAudit || verifyAudit && audit != null) {
            throw new IllegalArgumentException("--run goes with --verify-audit, and --verify-audit not with --audit");
        }
        try (RunStore store = RunStore.open(db)) {
            if (verifyAudit) {
                return verify(store, db, out);
            }
            if (claims != null) {
                RunInfo info = store.latestRun(claims).orElseThrow(() -> new IllegalArgumentException("no run named '"
                        + claims + "' in " + db));
                new ClaimsReport(store.rounds(info.id()), store.auditLog(info.id())).print(out);
            } else if (audit != null) {
                RunInfo run = store.latestRun(audit).orElseThrow(() -> new IllegalArgumentException("no run named '"
                        + audit + "' in " + db));
                java.util.List<AuditEntry> log = store.auditLog(run.id());
                // columns as wide as their longest entry, so that long actors (a certificate's subject) stay aligned
                int actor = Math.max(20, log.stream().mapToInt(e -> e.actor().length()).max().orElse(0));
                int event = Math.max(18, log.stream().mapToInt(e -> e.event().dbValue().length()).max().orElse(0));
                for (AuditEntry e : log) {
                    out.printf("%-30s  %-" + actor + "s %-" + event + "s %s%n", e.time(), e.actor(), e.event().dbValue(),
                            e.detail() == null ? "" : e.detail());
                }
            } else {
                out.printf("%-4s %-24s %-10s %-7s %-28s %s%n", "id", "name", "status", "rounds", "created", "stop reason");
                for (RunInfo r : store.runs()) {
                    out.printf("%-4d %-24s %-10s %-7d %-28s %s%n", r.id(), r.name(), r.status().dbValue(),
                            store.lastRecordedRound(r.id()).orElse(0), r.created(), r.stopReason().orElse(""));
                }
            }
        }
        out.flush();
        return 0;
    }

    private int verify(RunStore store, Path db, PrintWriter out) {
        AuditVerdict verdict = new AuditVerdict(out);
        List<RunInfo> runs = run == null ? store.runs() : List.of(store.latestRun(run)
                .orElseThrow(() -> new IllegalArgumentException("no run named '" + run + "' in " + db)));
        for (RunInfo r : runs) {
            verdict.report("run " + r.id() + " '" + r.name() + "'", store.verifyAudit(r.id()));
        }
        if (run == null) {
            ChainReport outside = store.verifyAuditOutsideRuns();
            if (outside.entries() > 0 || !outside.intact()) {
                verdict.report("entries outside runs", outside);
            }
        }
        return verdict.exitStatus();
    }
}
