package org.fedmed.deploy.server;

import java.util.List;
import org.fedmed.pki.ServerKit;
import org.fedmed.config.ConfigException;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.secagg.SecAggParameters;

/**
 * A server config's counts of sites, checked against the sites its kit provisions. A count above that number can
 * never be met (rounds could not complete, or the server would wait out {@code wait_timeout_seconds} for sites
 * that do not exist), and neither can secure aggregation with fewer than three sites, so the start is refused at
 * once, before anything is bound or stored, with the key, its value and the kit's count.
 */
final class SiteCountCheck {

    private SiteCountCheck() {
    }

    /** @throws ConfigException (exit status 2) naming the first count above the kit's number of sites */
    static void requireWithinKit(ServerConfig config, ServerKit kit) {
        SimulationConfig t = config.training();
        int sites = kit.sites().size();
        require(config, kit, "training.min_fit_sites", t.minFitSites(), sites,
                "a round needs that many results, so no round could complete");
        require(config, kit, "training.sites_per_round", t.sitesPerRound(), sites,
                "a round cannot sample more sites than there are");
        if (t.dp() != null) {
            require(config, kit, "training.dp.sites_per_round", t.dp().sitesPerRound(), sites,
                    "the privacy accounting would assume more sites per round than there are");
        }
        if (t.secureAggregation() != null && sites < SecAggParameters.MIN_CLIENTS) {
            throw new ConfigException(config.file() + ": key 'training.secure_aggregation' needs at least "
                    + SecAggParameters.MIN_CLIENTS + " sites in a round, but the server kit " + kit.directory() + " provisions "
                    + sites + " site" + (sites == 1 ? "" : "s") + " " + kit.sites() + ", so no round could"
                    + " complete. Provision more sites, or remove secure_aggregation");
        }
        require(config, kit, "wait_for_sites", config.waitForSites(), sites,
                "the server would wait " + config.waitTimeout().toSeconds() + " s (wait_timeout_seconds) for sites"
                        + " that do not exist");
    }

    private static void require(ServerConfig config, ServerKit kit, String key, int value, int sites, String why) {
        if (value > sites) {
            List<String> names = kit.sites();
            throw new ConfigException(config.file() + ": key '" + key + "' is " + value + ", but the server kit "
                    + kit.directory() + " provisions " + sites + " site" + (sites == 1 ? "" : "s") + " " + names
                    + "; " + why + ". Set it to at most " + sites + ", or provision more sites");
        }
    }
}
