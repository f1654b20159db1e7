package org.fedmed.deploy.site;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A site process's configuration, read from YAML with {@link #load(Path)}: where its startup kit is (read later
 * with {@code SiteKit.load}), its own data, its data-governance allow-list, its audit log, and whether it trains
 * with its own differential privacy. Paths are absolute, relative ones in the file having been resolved against the
 * file's directory. A site with DP-SGD approves exactly one model spec, so that one privacy account covers all its
 * training (see {@link GovernedSite}).
 *
 * <pre>
 * kit: ../federation/sites/cleveland   # required: the site's startup kit directory
 * data:
 *   dataset: heart-disease             # required: registry dataset whose schema the site's CSV follows
 *   csv: cleveland.csv                 # default: the dataset's natural-site file of this site, via the registry
 *   test_fraction: 0.25                # default 0.25, in (0, 1)
 *   missing: mean                      # drop | mean | median, default mean
 *   standardize: true                  # default true
 *   seed: 42                           # seed of the local train/test split, default 42
 *   min_rows: 10                       # fewest rows a split may have for the site to take part, default 10
 * allow:                               # everything not listed is refused
 *   tasks: [fit, evaluate]             # default [fit, evaluate]
 *   strategies: [fedavg]               # required, non-empty
 *   model_specs:                       # required, non-empty; same format as a model spec file
 *     - {type: logistic}
 *   max_local_epochs: 20               # default 100
 *   max_local_steps: 500               # most steps a local_steps fit may ask for, default 10,000
 *   max_prox_mu: 0.1                   # largest FedProx prox_mu a fit may carry, default 1; 0: none
 *   max_ditto_lambda: 1                # largest Ditto personalization.lambda a fit may carry, default 2; 0: none
 *   personal_layers: true              # whether a fit may ask the site to keep FedPer's personal layers, default true
 *   max_parameters: 10000000           # default 10,000,000
 * audit_log: audit/site-audit.jsonl    # default audit.jsonl next to the config
 * privacy:                             # optional
 *   dp_sgd:                            # the site trains every fit with DP-SGD
 *     clip_norm: 1.0                   # required, > 0
 *     noise_multiplier: 1.1            # required, >= 0
 *     delta: 1e-5                      # default 1e-5, in (0, 1)
 *     max_epsilon: 8.0                 # optional: fits that would spend more are refused
 *     seed: 42                         # optional, for experiments only; default secure randomness
 *   update_noise:                      # bounds on DP-FedAvg noise the server's plan asks the site to add
 *     min_noise_multiplier: 1.0        # least multiplier of the site's own noise, default 0
 *     max_clip_norm: 2.0               # largest clip norm, default no bound
 *     required: false                  # refuse fits that ask for no noise, default false
 *     seed: 42                         # optional, for experiments only; default secure randomness
 * require_secure_aggregation: true     # default false: refuse every fit that would send the update in the clear
 * </pre>
 *
 * <p>With {@code require_secure_aggregation: true} the site takes part only in rounds with secure aggregation: a fit
 * that asks it to send its update (rather than keep it for a secure sum, of which the server learns only the sum)
 * is refused, with a reason that names the key, and the refusal is in the audit log.
 *
 * @param kit      the site's startup kit directory
 * @param data     the site's data and how it is prepared
 * @param allow    the tasks the site accepts
 * @param auditLog the JSON-lines audit log file
 * @param dpSgd    the site's DP-SGD settings; null when the site trains without differential privacy
 * @param updateNoise the bounds on DP-FedAvg noise the site adds to its update on request, and its source;
 *                 {@link UpdateNoiseSettings#DEFAULT} without the section
 * @param requireSecureAggregation whether the site refuses fits whose update would travel in the clear
 */
public record SiteConfig(Path kit, DataSettings data, AllowList allow, Path auditLog, DpSgdSettings dpSgd,
                         UpdateNoiseSettings updateNoise, boolean requireSecureAggregation) {

    /** Name of the audit log file when the config names none, next to the config. */
    public static final String DEFAULT_AUDIT_LOG = "audit.jsonl";

    public SiteConfig {
        if (kit == null || data == null || allow == null || auditLog == null) {
            throw new IllegalArgumentException("site config fields 'kit', 'data', 'allow' and 'audit_log' are required");
        }
        if (dpSgd != null && allow.modelSpecs().size() != 1) {
            throw new IllegalArgumentException(oneSpecForDpSgd(allow.modelSpecs().size()));
        }
        updateNoise = updateNoise == null ? UpdateNoiseSettings.DEFAULT : updateNoise;
    }

    /** A site config whose update noise takes the defaults and that does not require secure aggregation. */
    public SiteConfig(Path kit, DataSettings data, AllowList allow, Path auditLog, DpSgdSettings dpSgd) {
        this(kit, data, allow, auditLog, dpSgd, UpdateNoiseSettings.DEFAULT, false);
    }

    /** A site config without differential privacy. */
    public SiteConfig(Path kit, DataSettings data, AllowList allow, Path auditLog) {
        this(kit, data, allow, auditLog, null);
    }

    /** The site's DP-SGD settings, if it trains with them. */
    public Optional<DpSgdSettings> dpSgdSettings() {
        return Optional.ofNullable(dpSgd);
    }

    /** Why a site with DP-SGD must approve exactly one model spec, for {@code specs} approved ones. */
    static String oneSpecForDpSgd(int specs) {
        return "'privacy.dp_sgd' needs exactly one model spec in 'allow.model_specs', got " + specs
                + ": the site keeps one privacy account for all its training, and it is kept per model";
    }

    /**
     * Reads a site config file.
     *
     * @throws IllegalArgumentException naming the file and the key at fault: an unknown key (with the known keys), a
     *                                  missing required key, a value of the wrong type or out of range
     */
    public static SiteConfig load(Path file) {
        return SiteConfigReader.load(file);
    }

    /** The policy that enforces this config's allow-list. */
    public AllowListPolicy policy() {
        return new AllowListPolicy(allow, requireSecureAggregation);
    }
}
