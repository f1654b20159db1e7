package org.fedmed.cli;

import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.fedmed.pki.Revocation;
import org.fedmed.pki.Revoker;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed provision revoke}: puts a site's certificates, or one certificate, on the revocation list. */
@Command(name = "revoke", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Revokes a site (every certificate it holds, superseded ones included) or one certificate",
                "by serial. Adds the serials to the CRL, re-signs it with the CA key in DIR/ca/, writes",
                "DIR/server/crl.pem and records the revocation in federation.yaml. A running server refuses",
                "the certificate, and cuts a site connected with it, once it re-reads the CRL (every",
                "crl_reload_seconds)."})
final class ProvisionRevokeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--kit", paramLabel = "DIR", required = true,
            description = "The federation directory written by 'fedmed provision'.")
    Path kit;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** What to revoke: a site, or one certificate. */
    static final class Target {
        @Option(names = "--site", paramLabel = "NAME", required = true, description = "The site to revoke.")
        String site;
        @Option(names = "--serial", paramLabel = "HEX", required = true,
                description = "The serial of one certificate to revoke, as 'provision status' prints it.")
        String serial;
    }

    @Override
    public Integer call() {
        Revoker revoker = new Revoker();
        Revocation r = target.site != null ? revoker.revoke(kit, target.site.strip())
                : revoker.revokeSerial(kit, parseSerial(target.serial));
        PrintWriter stdout = spec.commandLine().getOut();
        String serials = r.serials().stream().map(s -> s.toString(16)).collect(Collectors.joining(", "));
        if (target.site != null) {
            stdout.printf("revoked %s of federation '%s': certificate serial %s, at %s%n", r.holder(), r.federation(),
                    serials, r.revokedAt());
        } else {
            stdout.printf("revoked certificate serial %s of %s of federation '%s', at %s%n", serials, r.holder(),
                    r.federation(), r.revokedAt());
        }
        stdout.printf("wrote CRL number %d to %s and updated %s%n", r.crlNumber(), r.crl(), r.manifest());
        if (r.sitesList() != null) {
            stdout.printf("took site '%s' off %s: the server no longer counts it or waits for it%n",
                    r.holder().name(), r.sitesList());
        }
        stdout.println("next: copy " + r.crl().getFileName() + (r.sitesList() == null ? "" : " and "
                + r.sitesList().getFileName()) + " into the running server's kit if it runs elsewhere;"
                + " it refuses the certificate, and cuts a site connected with it, once it re-reads them.");
        stdout.flush();
        return 0;
    }

    private BigInteger parseSerial(String text) {
        String hex = text.strip().replace(":", "");
        try {
            BigInteger serial = new BigInteger(hex, 16);
            if (serial.signum() > 0) {
                return serial;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CommandLine.ParameterException(spec.commandLine(), "option '--serial': expected a positive"
                + " hexadecimal serial as 'fedmed provision status' prints it, got '" + text + "'");
    }
}
