package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fedmed.pki.FederationStatus;
import org.fedmed.pki.Participant;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed provision status}: every certificate of a federation, its expiry, revocation and membership. */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists every certificate of a provisioned federation: the server's and each site's,",
                "current and superseded, with serial, validity, days left, revocation (from the server's",
                "CRL) and membership (from its sites.txt), then warnings: certificates expiring within",
                "--warn-days or expired, superseded ones still valid, kits that disagree with the manifest.",
                "Changes nothing and needs no CA key."})
final class ProvisionStatusCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--kit", paramLabel = "DIR", required = true,
            description = "The federation directory written by 'fedmed provision'.")
    Path kit;
    @Option(names = "--warn-days", paramLabel = "DAYS", defaultValue = "30",
            description = "Warn about certificates that expire within this many days. Default: ${DEFAULT-VALUE}.")
    int warnDays;

    @Override
    public Integer call() {
        if (warnDays < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "option '--warn-days': expected 0 or more,"
                    + " got " + warnDays);
        }
        FederationStatus s = FederationStatus.read(kit, Clock.systemUTC(), Duration.ofDays(warnDays));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("federation '%s', server %s, at %s%n", s.federation(), s.server(), time(s.at()));
        out.printf("CA valid until %s (%d days left); CRL number %d%n", time(s.ca().notAfter()),
                Duration.between(s.at(), s.ca().notAfter()).toDays(), s.crlNumber());
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[]{"PARTICIPANT", "CERTIFICATE", "SERIAL", "NOT BEFORE", "NOT AFTER", "DAYS LEFT", "STATE",
                "MEMBER"});
        for (FederationStatus.Entry e : s.certificates()) {
            rows.add(new String[]{e.holder().role() == Participant.Role.SERVER ? "server"
                    : "site " + e.holder().name(), e.current() ? "current" : "superseded", e.serial().toString(16),
                    time(e.validity().notBefore()), time(e.validity().notAfter()), Long.toString(e.daysLeft()),
                    state(e), member(e.membership())});
        }
        printTable(out, rows);
        out.println();
        if (s.warnings().isEmpty()) {
            out.println("no warnings");
        } else {
            out.println("warnings:");
            s.warnings().forEach(w -> out.println("  - " + w));
        }
        out.flush();
        return 0;
    }

    private static String state(FederationStatus.Entry e) {
        return switch (e.state()) {
            case REVOKED -> "revoked " + e.revokedAt().map(ProvisionStatusCommand::time).orElse("");
            case EXPIRED -> "expired";
            case NOT_YET_VALID -> "not yet valid";
            case EXPIRING -> "expiring";
            case VALID -> "valid";
        };
    }

    private static String member(FederationStatus.Membership m) {
        return switch (m) {
            case MEMBER -> "yes";
            case NOT_LISTED -> "no";
            case NOT_APPLICABLE -> "-";
        };
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Left-aligned columns, two spaces apart, each as wide as its widest cell. */
    static void printTable(PrintWriter out, List<String[]> rows) {
        int[] width = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s",
                        row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
