package org.fedmed.pki;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to provision: a federation's name, where its server listens, the sites that belong to it and how
 * long the certificates last. Every field is validated on construction; a bad or repeated site name is
 * reported by name.
 *
 * @param federation            the federation's name, written as the organization (O) of every certificate
 * @param server                the address sites dial; its host goes into the server certificate
 * @param sites                 the site names, in order, at least one, no repeats (see {@link Names})
 * @param caValidity            how long the federation CA is valid
 * @param certificateValidity   how long server and site certificates are valid; at most {@code caValidity}
 * @param loopbackNames         whether the server certificate also names {@code localhost} and
 *                              {@code 127.0.0.1}; they are added anyway when the server host is loopback
 */
public record FederationSpec(String federation, ServerAddress server, List<String> sites, Duration caValidity,
                             Duration certificateValidity, boolean loopbackNames) {

    /** The default lifetime of the federation CA: three years. */
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3 * 365);

    public FederationSpec {
        Names.requireFederationName(federation);
        if (server == null) {
            throw new ProvisioningException("server address is missing");
        }
        if (sites == null || sites.isEmpty()) {
            throw new ProvisioningException("no sites given; a federation needs at least one site");
        }
        Set<String> seen = new HashSet<>();
        for (String site : sites) {
            Names.requireSiteName(site);
            if (!seen.add(site)) {
                throw new ProvisioningException("site '" + site + "' is listed more than once");
            }
        }
        sites = List.copyOf(sites);
        Validity.requireLength("ca validity", caValidity);
        Validity.requireLength("certificate validity", certificateValidity);
        if (certificateValidity.compareTo(caValidity) > 0) {
            throw new ProvisioningException("certificate validity (" + certificateValidity.toDays()
                    + " days) exceeds the CA validity (" + caValidity.toDays() + " days)");
        }
    }

    /** A spec with the default lifetimes (three years for the CA and the certificates) and no extra names. */
    public static FederationSpec of(String federation, ServerAddress server, List<String> sites) {
        return new FederationSpec(federation, server, sites, DEFAULT_CA_VALIDITY, DEFAULT_CA_VALIDITY, false);
    }

    /** Whether the server certificate names {@code localhost} and {@code 127.0.0.1} too. */
    public boolean includesLoopbackNames() {
        return loopbackNames || server.isLoopback();
    }
}
