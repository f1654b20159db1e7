package org.fedmed.cli.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.ListenPorts;
import org.fedmed.data.TestData;
import org.fedmed.data.definition.SiteLayout;
import org.fedmed.data.registry.BuiltInDatasets;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.pki.FederationSpec;
import org.fedmed.pki.KitLayout;
import org.fedmed.pki.Provisioner;
import org.fedmed.pki.ServerAddress;

/**
 * A provisioned federation on 127.0.0.1 for process tests: its kits, and config files for the server and for
 * sites that train on a heart-disease hospital's CSV.
 */
final class Federation {

    /** The four Fed-Heart-Disease hospitals; site names equal the dataset's natural site ids. */
    static final List<String> HOSPITALS = List.of("cleveland", "hungary", "switzerland", "va");

    final Path root;
    final int port;
    final KitLayout layout;

    private Federation(Path root, int port, KitLayout layout) {
        this.root = root;
        this.port = port;
        this.layout = layout;
    }

    /** Provisions federation {@code name} with {@code sites} under {@code root}, for a server on a free port. */
    static Federation provision(Path root, String name, List<String> sites) throws IOException {
        return provision(root, name, sites, ListenPorts.free());
    }

    static Federation provision(Path root, String name, List<String> sites, int port) {
        Path dir = root.resolve(name);
        new Provisioner().provision(FederationSpec.of(name, new ServerAddress("127.0.0.1", port), sites), dir, false);
        return new Federation(root, port, new KitLayout(dir));
    }

    /** Writes a server config whose {@code training} section is {@code trainingYaml} (indented by the caller). */
    Path serverConfig(String file, String run, int waitForSites, String trainingYaml) throws IOException {
        return serverConfig(file, run, waitForSites, trainingYaml, "");
    }

    /** As above, with {@code extraKeys} (top-level YAML lines, such as {@code crl_reload_seconds: 1}) added. */
    Path serverConfig(String file, String run, int waitForSites, String trainingYaml, String extraKeys)
            throws IOException {
        Path cfg = root.resolve(file);
        Files.writeString(cfg, """
                kit: %s
                listen: 127.0.0.1:%d
                run: %s
                store: runs/fedmed.db
                checkpoints: runs/checkpoints
                keep_checkpoints: 0
                wait_for_sites: %d
                wait_timeout_seconds: 120
                heartbeat_interval_seconds: 1
                heartbeat_timeout_seconds: 10
                max_update_norm: 1000
                %straining:
                %s""".formatted(root.relativize(layout.serverKit()), port, run, waitForSites, extraKeys.indent(0),
                trainingYaml.indent(2)));
        return cfg;
    }

    /**
     * Writes the config of site {@code site}, training on hospital {@code hospital}'s CSV, approving
     * {@code strategies} and one model spec.
     */
    Path siteConfig(String site, String hospital, String strategies, String modelSpec) throws IOException {
        return siteConfigFor(layout.siteKit(site), site, hospital, strategies, modelSpec);
    }

    /** As above, with {@code dataKeys} (lines such as {@code stats: per_site}) added to the data section. */
    Path siteConfig(String site, String hospital, String strategies, String modelSpec, String dataKeys)
            throws IOException {
        return siteConfigFor(layout.siteKit(site), site, hospital, strategies, modelSpec, dataKeys);
    }

    Path siteConfigFor(Path kit, String site, String hospital, String strategies, String modelSpec) throws IOException {
        return siteConfigFor(kit, site, hospital, strategies, modelSpec, "");
    }

    Path siteConfigFor(Path kit, String site, String hospital, String strategies, String modelSpec, String dataKeys)
            throws IOException {
        Path cfg = root.resolve("site-" + site + "-" + kit.getParent().getParent().getFileName() + ".yaml");
        Path csv = dataDir().resolve("heart-disease").resolve(csvOf(hospital));
        Files.writeString(cfg, """
                kit: %s
                data:
                  dataset: heart-disease
                  csv: %s
                  seed: 42
                %sallow:
                  tasks: [fit, evaluate]
                  strategies: [%s]
                  model_specs:
                    - %s
                audit_log: audit/%s.jsonl
                """.formatted(root.relativize(kit), csv, dataKeys.indent(2), strategies, modelSpec, site));
        return cfg;
    }

    /**
     * Writes the config of site {@code site}, reading its rows through the dataset definition at {@code definition}
     * (relative to the root) as site {@code site} of it, approving {@code strategies} and one model spec, with
     * {@code extraKeys} (top-level YAML lines, such as {@code require_secure_aggregation: true}) added.
     */
    Path definitionSiteConfig(String site, String definition, String strategies, String modelSpec, String extraKeys)
            throws IOException {
        return Files.writeString(root.resolve("site-" + site + ".yaml"), """
                kit: %s
                data:
                  definition: %s
                  site: %s
                allow:
                  strategies: [%s]
                  model_specs:
                    - %s
                audit_log: audit/%s.jsonl
                %s""".formatted(root.relativize(layout.siteKit(site)), definition, site, strategies, modelSpec, site,
                extraKeys.indent(0)));
    }

    Path auditLog(String site) {
        return root.resolve("audit").resolve(site + ".jsonl");
    }

    Path store() {
        return root.resolve("runs/fedmed.db");
    }

    static Path dataDir() {
        String env = System.getenv("FEDMED_DATA");
        if (env == null || env.isBlank()) {
            throw new IllegalStateException("FEDMED_DATA is not set");
        }
        return Path.of(env).toAbsolutePath();
    }

    /** Fails the test, never skips it, unless FEDMED_DATA holds the heart-disease files with their checksums. */
    static void requireHeartDisease() {
        TestData.requireDataset(BuiltInDatasets.HEART_DISEASE);
    }

    /** The hospital's file name, as the dataset registry knows it. */
    private static String csvOf(String hospital) {
        return ((SiteLayout.FilePerSite) DatasetRegistry.fromEnvironment().entry("heart-disease").sites()).sites().stream()
                .filter(s -> s.id().equals(hospital)).map(s -> s.file().path()).findFirst().orElseThrow();
    }
}
