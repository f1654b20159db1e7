package org.fedmed.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.config.ConfigException;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import picocli.CommandLine.Option;

/** The run options shared by {@code simulate} and {@code tune}: a config file and flags that override its keys. */
final class RunOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config; flags below override its keys.")
    Path config;
    @Option(names = "--dataset", description = "Dataset name (see `fedmed datasets`). Default: heart-disease.")
    String dataset;
    @Option(names = "--sites", description = "Number of simulated sites, for datasets without natural sites.")
    Integer sites;
    @Option(names = "--partition", description = "iid, dirichlet (label skew) or quantity (size skew).")
    String partition;
    @Option(names = "--alpha", description = "Dirichlet concentration for partition=dirichlet|quantity.")
    Double alpha;
    @Option(names = "--model", paramLabel = "logistic|mlp|cox|FILE", description = "Model: logistic, mlp, cox (a survival label), or a YAML/JSON model spec file.")
    String model;
    @Option(names = "--strategy", description = "fedavg, uniform, quality, fedavgm, fedadam, fedyogi, fedadagrad,"
            + " fedprox, scaffold or cyclic.")
    String strategy;
    @Option(names = "--rounds", description = "Round budget.")
    Integer rounds;
    @Option(names = "--fraction", description = "Fraction C of sites sampled per round.")
    Double fraction;
    @Option(names = "--sites-per-round", description = "Fixed number m of sites per round (overrides --fraction).")
    Integer sitesPerRound;
    @Option(names = "--min-fit-sites", description = "Fewest successful sites for a round to count.")
    Integer minFitSites;
    @Option(names = "--local-epochs", description = "Local epochs E per round (replaces a config's local_steps).")
    Integer localEpochs;
    @Option(names = "--local-steps", description = "Local mini-batch steps S per round, instead of epochs "
            + "(replaces a config's local_epochs).")
    Integer localSteps;
    @Option(names = "--batch-size", description = "Mini-batch size B.")
    Integer batchSize;
    @Option(names = "--lr", description = "Site learning rate.")
    Double lr;
    @Option(names = "--server-lr", description = "Server learning rate.")
    Double serverLr;
    @Option(names = "--patience", description = "Stop after this many rounds without improvement (0 = never).")
    Integer patience;
    @Option(names = "--seed", description = "Seed for splits, sampling, initialization and training.")
    Long seed;
    @Option(names = "--regimes", split = ",", description = "Which of local,federated,centralized,personalized to"
            + " run (personalized needs a personalization section).")
    List<String> regimes;
    SimulationConfig resolve() throws IOException {
        Map<String, Object> o = new LinkedHashMap<>();
        put(o, "dataset", dataset);
        put(o, "simulation.sites", sites);
        put(o, "simulation.partition", partition);
        put(o, "simulation.alpha", alpha);
        put(o, "model", model == null ? null : modelNode(model));
        put(o, "strategy", strategy);
        put(o, "rounds", rounds);
        put(o, "fraction", fraction);
        put(o, "sites_per_round", sitesPerRound);
        put(o, "min_fit_sites", minFitSites);
        if (localEpochs != null && localSteps != null) {
            throw new ConfigException("--local-epochs and --local-steps exclude each other: give one of them");
        }
        if (localEpochs != null || localSteps != null) {
            // the two keys are alternatives: the flag given replaces whichever of them the config file sets
            o.put("local_epochs", localEpochs);
            o.put("local_steps", localSteps);
        }
        put(o, "batch_size", batchSize);
        put(o, "lr", lr);
        put(o, "server_lr", serverLr);
        put(o, "patience", patience);
        put(o, "seed", seed);
        put(o, "simulation.regimes", regimes);
        if (config == null) {
            return ConfigLoader.parse("", "command-line flags", o);
        }
        if (!Files.isRegularFile(config)) {
            throw new ConfigException("config file " + config + " does not exist");
        }
        return ConfigLoader.parseFile(Files.readString(config), config, o);
    }

    private static JsonNode modelNode(String value) throws IOException {
        return switch (value) {
            case "logistic" -> ConfigLoader.mapper().readTree("{type: logistic}");
            case "mlp" -> ConfigLoader.mapper().readTree("{type: mlp, hidden: [32], dropout: 0.1}");
            case "cox" -> ConfigLoader.mapper().readTree("{type: cox}"); // Breslow, for a survival label
            default -> {
                Path p = Path.of(value);
                if (!Files.isRegularFile(p)) {
                    throw new ConfigException("--model: '" + value + "' is neither logistic, mlp, cox nor a model spec file");
                }
                yield ConfigLoader.mapper().readTree(Files.readString(p));
            }
        };
    }

    private static void put(Map<String, Object> o, String key, Object value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
