package org.fedmed.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fedmed.config.ConfigException;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.imaging.ImageComparison;
import org.fedmed.imaging.ImageDatasetDefinition;
import org.fedmed.imaging.ImageDefinitionReader;
import org.fedmed.imaging.ImageModelSpec;
import org.fedmed.imaging.ImageSimulation;
import org.fedmed.imaging.ImageSimulationReport;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;

/**
 * {@code fedmed simulate} for image plans: a plan whose dataset is an image dataset definition or whose model is an
 * image spec is run by fedmed-imaging's {@link ImageComparison#run}: the plan's {@code regimes} (local,
 * federated, centralized by default) on the same split and budget, printed as one table; everything else goes the
 * tabular way.
 */
final class ImageSimulate {

    private ImageSimulate() {
    }

    /** True when the plan names an image dataset definition or an image model spec. */
    static boolean applies(SimulationConfig cfg) {
        return imageDataset(cfg) || PlanSettings.modelSpec(cfg) instanceof ImageModelSpec;
    }

    private static boolean imageDataset(SimulationConfig cfg) {
        return DatasetRegistry.isDefinitionPath(cfg.dataset())
                && ImageDefinitionReader.isImageDefinition(Path.of(cfg.dataset()));
    }

    static int run(SimulationConfig cfg, Path out, PrintWriter stdout) throws IOException {
        if (!imageDataset(cfg)) {
            throw new ConfigException("config key 'dataset': model type '" + PlanSettings.modelSpec(cfg).type()
                    + "' trains on images, so 'dataset' must be an image dataset definition file (format: idx or"
                    + " folder, docs/datasets.md), got '" + cfg.dataset() + "'");
        }
        ImageDatasetDefinition def = ImageDefinitionReader.read(Path.of(cfg.dataset()),
                DatasetRegistry.fromEnvironment().searchRoots());
        String regimes = String.join(", ", cfg.regimes().stream().map(org.fedmed.plan.Regime::key).toList());
        stdout.printf("fedmed simulate: image dataset %s (%d classes), model %s, strategy %s, %d rounds x %s, seed"
                        + " %d; regimes %s%n", def.name(), def.classes(), PlanSettings.modelSpec(cfg).type(),
                cfg.strategy().name(), cfg.rounds(), cfg.localWork().describe(), cfg.seed(), regimes);
        stdout.flush();
        RunListener progress = new RunListener() {
            @Override
            public void roundFinished(RoundRecord r, ModelParameters global) {
                Double eps = r.fitMetrics().get("dp_epsilon");
                stdout.printf(Locale.ROOT, "federated round %d: accuracy %.4f, log_loss %.4f%s, %d ms%n", r.round(),
                        r.evalMetrics().getOrDefault(ClassificationMetrics.ACCURACY, Double.NaN),
                        r.evalMetrics().getOrDefault(ClassificationMetrics.LOG_LOSS, Double.NaN),
                        eps == null ? "" : String.format(Locale.ROOT, ", dp_epsilon %.4g", eps), r.durationMillis());
                stdout.flush();
            }
        };
        ImageComparison comparison = ImageComparison.run(cfg, def, progress);
        Path dir = ReportFolder.settle(out, def.name());
        List<Path> files = ImageSimulationReport.write(comparison, cfg, dir);
        stdout.printf("%s: %d sites %s with %s training images; %s%n", comparison.partition().describe(),
                comparison.siteIds().size(), comparison.siteIds(), comparison.trainImages(), comparison.model());
        stdout.print(ImageSimulationReport.table(comparison));
        ImageSimulation.Result result = comparison.federated();
        if (result != null) {
            stdout.printf(Locale.ROOT, "federated model on all %s test images: accuracy %.4f, log_loss %.4f%n",
                    def.name(), result.pooledTest().get(ClassificationMetrics.ACCURACY),
                    result.pooledTest().get(ClassificationMetrics.LOG_LOSS));
            if (!result.siteEpsilons().isEmpty()) {
                stdout.printf(Locale.ROOT, "site_dp: epsilon spent per site at delta %s (federated regime): %s%n",
                        cfg.siteDp().delta(), result.siteEpsilons());
            }
            stdout.printf("federated: %d rounds run, stopped by %s (%s)%n", result.run().rounds().size(),
                    result.run().stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                    result.run().stopDetail());
        }
        stdout.println("report written to " + dir + ": " + files.stream().map(p -> p.getFileName().toString()).toList());
        stdout.flush();
        return 0;
    }
}
