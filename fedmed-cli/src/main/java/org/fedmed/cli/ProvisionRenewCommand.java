package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedmed.pki.Participant;
import org.fedmed.pki.Renewal;
import org.fedmed.pki.Renewer;
import org.fedmed.pki.Revocation;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed provision renew}: a new key and certificate for one site or the server, in its own kit only. */
@Command(name = "renew", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Renews one participant's certificate: a new key and a certificate with a new validity,",
                "written into its kit in place of the old ones (the kit is swapped atomically). Other kits",
                "are untouched. The old certificate stays valid until it expires or is revoked: revoke it",
                "once the participant runs with the new kit (--revoke-old, or 'revoke --serial'). A process",
                "picks up its renewed kit when it is restarted."})
final class ProvisionRenewCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--kit", paramLabel = "DIR", required = true,
            description = "The federation directory written by 'fedmed provision'.")
    Path kit;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Holder holder;

    /** Whose certificate: one site, or the server. */
    static final class Holder {
        @Option(names = "--site", paramLabel = "NAME", required = true, description = "Renew this site's certificate.")
        String site;
        @Option(names = "--server", required = true, description = "Renew the server's certificate.")
        boolean server;

        Participant participant() {
            return server ? Participant.server() : Participant.site(site.strip());
        }
    }

    @Option(names = "--validity-days", paramLabel = "DAYS",
            description = "How long the new certificate is valid. Default: the federation's, chosen at provisioning.")
    Integer validityDays;
    @Option(names = "--revoke-old",
            description = "Also revoke the certificate replaced (only once nothing runs with it any more).")
    boolean revokeOld;

    @Override
    public Integer call() {
        Participant who = holder.participant();
        Renewal r = new Renewer().renew(kit, who, ProvisionCommand.validityDays(spec, "--validity-days", validityDays),
                revokeOld);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("renewed the certificate of %s of federation '%s': serial %s replaces %s, valid until %s%n", who,
                r.federation(), r.newSerial().toString(16), r.oldSerial().toString(16), r.validity().notAfter());
        if (r.cutByCa()) {
            out.printf("note: the certificate ends with the federation CA, at %s, sooner than asked%n",
                    r.validity().notAfter());
        }
        out.printf("%s now holds the new key and certificate; the old key is deleted.%n", r.kit());
        out.println(switch (who.role()) {
            case SERVER -> "next: copy the kit to the server machine and restart the server with it"
                    + " (fedmed server --resume continues the run).";
            case SITE -> "next: copy the kit to site '" + who.name() + "' and restart its fedmed site process.";
        });
        if (who.role() == Participant.Role.SERVER) {
            // sites check the server's certificate against the CA only: revoking the old one changes no admission
            out.printf("the old server certificate (serial %s) stays valid until it expires, but its key was deleted"
                    + " with the old kit; sites check the server against the CA, not the CRL, so %s%n",
                    r.oldSerial().toString(16), r.revocation().isPresent()
                            ? "its revocation (CRL number " + r.revocation().get().crlNumber() + ") records it as"
                            + " retired and changes nothing else."
                            : "revoking it would only record it as retired (fedmed provision revoke --kit " + kit
                            + " --serial " + r.oldSerial().toString(16) + ").");
        } else if (r.revocation().isPresent()) {
            Revocation rev = r.revocation().get();
            out.printf("revoked the old certificate (serial %s): CRL number %d in %s; the server refuses it once it"
                    + " re-reads the CRL (every crl_reload_seconds).%n", r.oldSerial().toString(16), rev.crlNumber(),
                    rev.crl());
        } else {
            out.printf("the old certificate (serial %s) stays valid until it expires or is revoked; once the new kit"
                    + " is in use, revoke it:%n  fedmed provision revoke --kit %s --serial %s%n",
                    r.oldSerial().toString(16), kit, r.oldSerial().toString(16));
        }
        out.flush();
        return 0;
    }
}
