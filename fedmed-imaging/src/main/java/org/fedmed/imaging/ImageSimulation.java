package org.fedmed.imaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.objective.Objective;
import org.fedmed.plan.FederatedSetup;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.plan.SiteDpSettings;

/**
 * {@code fedmed simulate} for a plan whose {@code model:} is an image spec ({@code cnn} or {@code resnet}) and whose
 * {@code dataset:} is an {@link ImageDatasetDefinition}: the federated regime over in-process
 * {@link ImageSiteClient}s, built from the plan exactly as a tabular federation is: the strategy, DP-FedAvg and
 * secure aggregation from {@link FederatedSetup}, the fit from {@link PlanSettings#fitConfig(SimulationConfig)}
 * (FedProx's term included), the engine from {@link PlanSettings#engineConfig}, initial parameters from the run seed's
 * {@code INIT} stream, the split from {@code PARTITION}. With {@code site_dp} every site trains with DP-SGD and keeps
 * its own privacy account ({@link ImageDpSgd}). The training images are dealt to sites by the definition's
 * {@code partition} (else the plan's {@code simulation.partition}, {@code sites}, {@code alpha}), and the test images
 * by the same partitioner and seed; each round's evaluation is the sites' test images, and the final model is also
 * scored on all the test images together ({@link Result#pooledTest()}). The same plan and seed give the same final
 * model bit for bit. {@link ImageComparison#run} runs the plan's {@code regimes}: this federated run against
 * local-only models and a centralized model on the pooled training images, with the same split, initial parameters
 * and budget.
 */
public final class ImageSimulation {

    /** The fewest images a Dirichlet or quantity-skew partition leaves a site (NIID-Bench uses 10). */
    public static final int MIN_IMAGES_PER_SITE = 10;

    private ImageSimulation() {
    }

    /**
     * What a run gives.
     *
     * @param siteIds      the sites in order, {@code site-1} ...
     * @param trainImages  each site's training images
     * @param run          the engine's rounds and final model
     * @param pooledTest   ClassificationMetrics of the final model on all test images
     * @param siteEpsilons under {@code site_dp}, each site's spent epsilon at its delta; empty otherwise
     */
    public record Result(ImageDatasetDefinition dataset, ImagePartition partition, ImageModel model,
                         List<String> siteIds, List<Integer> trainImages, RunResult run,
                         Map<String, Double> pooledTest, Map<String, Double> siteEpsilons) {
    }

    /** Runs the federated regime of {@code config} over {@code dataset}. */
    public static Result run(SimulationConfig config, ImageDatasetDefinition dataset, RunListener listener) {
        ImageModelSpec spec = check(config, dataset);
        ImageDatasetDefinition.Loaded images = dataset.load(Seeds.of(config.seed(), Seeds.Stream.VALIDATION_SPLIT));
        ImagePartition partition = partitionOf(config, dataset);
        List<ImageDatasetDefinition.Loaded> shares = deal(images, partition, config.seed());
        ImageModel model = ImageModel.build(spec, images.train().shape(), dataset.classes());
        return federated(config, dataset, images, partition, shares, model, listener);
    }

    static ImagePartition partitionOf(SimulationConfig config, ImageDatasetDefinition dataset) {
        return dataset.partition()
                .orElseGet(() -> ImagePartition.of(config.partition(), config.sites(), config.alpha()));
    }

    static ImageModelSpec check(SimulationConfig config, ImageDatasetDefinition dataset) {
        Objects.requireNonNull(config, "config");
        if (!(PlanSettings.modelSpec(config) instanceof ImageModelSpec spec)) {
            throw new IllegalArgumentException("config key 'model': an image dataset ('" + dataset.name() + "')"
                    + " needs an image model spec (type cnn or resnet), got type '"
                    + PlanSettings.modelSpec(config).type() + "'");
        }
        if (config.strategy().kind() == org.fedmed.plan.StrategyKind.SCAFFOLD) {
            throw new IllegalArgumentException("config key 'strategy': 'scaffold' is not available for image models:"
                    + " an image site keeps no control variate; use a FedAvg-family strategy or fedprox");
        }
        if (config.personalization() != null) {
            throw new IllegalArgumentException("config key 'personalization' is not available for image models: an"
                    + " image site keeps no personal model");
        }
        return spec;
    }

    static Result federated(SimulationConfig config, ImageDatasetDefinition dataset,
                                    ImageDatasetDefinition.Loaded images, ImagePartition partition,
                                    List<ImageDatasetDefinition.Loaded> shares, ImageModel model,
                                    RunListener listener) {
        List<ImageSiteClient> sites = new ArrayList<>();
        List<String> ids = siteIds(partition.sites());
        List<Integer> counts = new ArrayList<>();
        try {
            for (int i = 0; i < partition.sites(); i++) {
                String id = ids.get(i);
                counts.add(shares.get(i).train().count());
                sites.add(new ImageSiteClient(id, model, shares.get(i).train(), shares.get(i).test(),
                        dpSgd(config.siteDp(), config.seed(), id)));
            }
            FitConfig fit = PlanSettings.fitConfig(config);
            FederatedSetup setup = FederatedSetup.of(config, fit, sites);
            EngineConfig engine = PlanSettings.engineConfig(config, new Objective.Classification(dataset.classes()));
            ModelParameters init = model.init(Seeds.of(config.seed(), Seeds.Stream.INIT));
            RunResult run;
            try (InProcessSitePool pool = new InProcessSitePool(setup.sites(), config.effectiveParallelism(),
                FederatedSetup.participants(config))) {
                run = new RoundEngine(setup.strategy(), pool, engine, listener).run(init);
            }
            Map<String, Double> pooled;
            try (ImageSiteClient all = new ImageSiteClient("pooled-test", model, images.train().head(1),
                    images.test())) {
                pooled = all.metrics(run.finalModel());
            }
            Map<String, Double> epsilons = new LinkedHashMap<>();
            for (ImageSiteClient site : sites) {
                site.privacySpent().ifPresent(p -> epsilons.put(site.siteId(), p.epsilon()));
            }
            return new Result(dataset, partition, model, ids, counts, run, pooled, epsilons);
        } finally {
            sites.forEach(ImageSiteClient::close);
        }
    }

    /** The ids of {@code count} simulated sites: {@code site-1}, {@code site-2}, ... */
    public static List<String> siteIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add("site-" + i);
        }
        return ids;
    }

    /**
     * Each site's training and test images, in site order, as a run with seed {@code runSeed} deals them: the
     * definition's images (test share split off with the run seed's {@code VALIDATION_SPLIT} stream) dealt by
     * {@code partition} with its {@code PARTITION} stream. A deployed site of a partitioned definition takes its
     * share from here, so it trains on the simulated site's images.
     */
    public static List<ImageDatasetDefinition.Loaded> siteData(ImageDatasetDefinition dataset, ImagePartition partition,
                                                               long runSeed) {
        return deal(dataset.load(Seeds.of(runSeed, Seeds.Stream.VALIDATION_SPLIT)), partition, runSeed);
    }

    static List<ImageDatasetDefinition.Loaded> deal(ImageDatasetDefinition.Loaded images,
                                                            ImagePartition partition, long runSeed) {
        long partitionSeed = Seeds.of(runSeed, Seeds.Stream.PARTITION);
        var partitioner = partition.partitioner(MIN_IMAGES_PER_SITE);
        List<ImageData> train = ImageSites.split(images.train(), partitioner, partition.sites(), partitionSeed);
        List<ImageData> test = ImageSites.split(images.test(), partitioner, partition.sites(), partitionSeed);
        List<ImageDatasetDefinition.Loaded> out = new ArrayList<>();
        for (int i = 0; i < partition.sites(); i++) {
            out.add(new ImageDatasetDefinition.Loaded(train.get(i), test.get(i)));
        }
        return out;
    }

    /** A site's DP-SGD under {@code site_dp}: its noise from the site's {@code SITE_DP_SGD_NOISE} stream. */
    static ImageDpSgd dpSgd(SiteDpSettings dp, long runSeed, String siteId) {
        if (dp == null) {
            return null;
        }
        return new ImageDpSgd(dp.clipNorm(), dp.noiseMultiplier(), dp.delta(), Double.POSITIVE_INFINITY,
                Seeds.ofSite(runSeed, Seeds.Stream.SITE_DP_SGD_NOISE, siteId));
    }
}
