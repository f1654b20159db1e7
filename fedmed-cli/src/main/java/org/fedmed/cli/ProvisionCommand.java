package org.fedmed.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Names;
import org.fedmed.pki.Pem;
import org.fedmed.pki.ProvisionedFederation;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedmed provision}: creates a federation's CA, server and site certificates, and one startup kit per
 * participant. Its subcommands operate the certificates afterwards: {@code add-site}, {@code renew},
 * {@code revoke} and {@code status}.
 */
@Command(name = "provision", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Creates a federation's CA, server and site certificates, an empty CRL,",
                "and one startup kit per participant under --out:",
                "  ca/              CA key and certificate: keep offline, never in a kit",
                "  server/          the server's kit: config, certificates, key, CRL, sites",
                "  sites/NAME/      a site's kit: config, CA certificate, its cert and key",
                "  federation.yaml  manifest: sites, serials, fingerprints, revocations",
                "Afterwards: add-site, renew, revoke and status operate the certificates."},
        subcommands = {ProvisionAddSiteCommand.class, ProvisionRenewCommand.class, ProvisionRevokeCommand.class,
                ProvisionStatusCommand.class})
final class ProvisionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--federation", paramLabel = "NAME",
            description = "Federation name (" + Names.FEDERATION_NAME_RULE + "). Required.")
    String federation;
    @Option(names = "--server", paramLabel = "HOST:PORT",
            description = "Address sites dial; HOST (DNS name or IP) goes into the server certificate. Required.")
    String server;
    @Option(names = "--sites", split = ",", paramLabel = "NAME",
            description = "Comma-separated site names (" + Names.SITE_NAME_RULE + "). Required.")
    List<String> sites;
    @Option(names = "--out", paramLabel = "DIR", description = "Directory to create. Required.")
    Path out;
    @Option(names = "--force", description = "Replace DIR if it exists and is not empty (its CA and kits are lost).")
    boolean force;
    @Option(names = "--ca-validity-days", paramLabel = "DAYS", defaultValue = "1095",
            description = "How long the CA is valid. Default: ${DEFAULT-VALUE} (three years).")
    int caValidityDays;
    @Option(names = {"--validity-days", "--cert-validity-days"}, paramLabel = "DAYS",
            description = {"How long server and site certificates are valid. Default: as long as the CA.",
                    "Recorded as the federation's default for add-site and renew."})
    Integer certValidityDays;
    @Option(names = "--loopback-names",
            description = "Also name localhost and 127.0.0.1 in the server certificate (automatic for a local HOST).")
    boolean loopbackNames;

    @Override
    public Integer call() {
        require(federation, "--federation");
        require(server, "--server");
        require(sites, "--sites");
        require(out, "--out");
        Duration caValidity = validityDays(spec, "--ca-validity-days", caValidityDays);
        Duration certValidity = certValidityDays == null ? caValidity
                : validityDays(spec, "--validity-days", certValidityDays);
        FederationSpec fedSpec = new FederationSpec(federation, ServerAddress.parse(server), sites.stream()
                .map(String::strip).toList(), caValidity, certValidity, loopbackNames);
        ProvisionedFederation fed = new Provisioner().provision(fedSpec, out, force);

        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("provisioned federation '%s' (server %s, %d sites) in %s%n", fedSpec.federation(),
                fedSpec.server(), fedSpec.sites().size(), fed.directory());
        stdout.printf("CA valid until %s; certificates until %s%n",
                Pem.readCertificate(fed.caDirectory().resolve(KitLayout.CA_CERTIFICATE)).getNotAfter().toInstant(),
                Pem.readCertificate(fed.serverKit().resolve(KitLayout.SERVER_CERTIFICATE)).getNotAfter().toInstant());
        stdout.println("wrote " + fed.files().size() + " files:");
        for (Path f : fed.files()) {
            stdout.println("  " + f);
        }
        stdout.println("next: copy server/ to the server and sites/NAME/ to each site over a secure channel;");
        stdout.println("      keep ca/ offline (it holds the CA key, needed only to add sites, renew or revoke).");
        stdout.flush();
        return 0;
    }

    /** {@code days} as a duration, or a usage error naming {@code option} when it is not at least 1. */
    static Duration validityDays(CommandLine.Model.CommandSpec spec, String option, Integer days) {
        if (days == null) {
            return null;
        }
        if (days < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "option '" + option
                    + "': expected at least 1 day, got " + days);
        }
        return Duration.ofDays(days);
    }

    private void require(Object value, String option) {
        if (value == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing required option " + option);
        }
    }
}
