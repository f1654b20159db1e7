package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fedmed.pki.Enroller;
import org.fedmed.pki.Enrollment;
import org.fedmed.pki.Names;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedmed provision add-site}: a new site for a provisioned federation, without touching the other kits. */
@Command(name = "add-site", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Adds a site to a provisioned federation: issues its certificate with the CA in DIR/ca/,",
                "writes its kit to DIR/sites/NAME/, records it in federation.yaml and appends it to",
                "DIR/server/sites.txt. No other kit changes. A running server admits the site once it",
                "re-reads sites.txt (every crl_reload_seconds): no restart."})
final class ProvisionAddSiteCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--kit", paramLabel = "DIR", required = true,
            description = "The federation directory written by 'fedmed provision'.")
    Path kit;
    @Option(names = "--site", paramLabel = "NAME", required = true,
            description = "The new site's name (" + Names.SITE_NAME_RULE + ").")
    String site;
    @Option(names = "--validity-days", paramLabel = "DAYS",
            description = "How long its certificate is valid. Default: the federation's, chosen at provisioning.")
    Integer validityDays;

    @Override
    public Integer call() {
        Enrollment e = new Enroller().enroll(kit, site.strip(),
                ProvisionCommand.validityDays(spec, "--validity-days", validityDays));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("added site '%s' to federation '%s': certificate serial %s, valid until %s%n", e.site(),
                e.federation(), e.serial().toString(16), e.validity().notAfter());
        if (e.cutByCa()) {
            out.printf("note: the certificate ends with the federation CA, at %s, sooner than asked%n",
                    e.validity().notAfter());
        }
        out.println("wrote " + e.files().size() + " files:");
        e.files().forEach(f -> out.println("  " + f));
        out.printf("next: copy %s to site '%s' over a secure channel;%n", e.kit(), e.site());
        out.printf("      copy %s into the server's kit if the server runs on another machine;%n", e.sitesList());
        out.println("      the server admits the site once it re-reads sites.txt (every crl_reload_seconds).");
        out.flush();
        return 0;
    }
}
