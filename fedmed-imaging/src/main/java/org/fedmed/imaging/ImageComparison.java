package org.fedmed.imaging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.LocalTerms;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.Regime;
import org.fedmed.plan.SimulationConfig;

/**
 * The three-regime comparison of an image plan, the image counterpart of the tabular comparison: the federated model
 * ({@link ImageSimulation#run}) against local-only models and a centralized model on the pooled training images, on
 * the same split, initial parameters and budget, in the plan's {@code regimes} order, with the federated run when that
 * regime ran ({@code null} otherwise). Each regime's models are tested per site and on all test images together.
 *
 * @param testImages each site's test images, in site order
 */
public record ImageComparison(ImageDatasetDefinition dataset, ImagePartition partition, ImageModel model,
                              List<String> siteIds, List<Integer> trainImages, List<Integer> testImages,
                              Map<String, RegimeOutcome> regimes, ImageSimulation.Result federated) {

    public ImageComparison {
        regimes = Collections.unmodifiableMap(new LinkedHashMap<>(regimes));
        if (regimes.isEmpty()) {
            throw new IllegalArgumentException("comparison: 'regimes' must hold at least one regime");
        }
        if (regimes.containsKey(Regime.FEDERATED.key()) != (federated != null)) {
            throw new IllegalArgumentException("comparison: 'federated' must be given exactly when the federated"
                    + " regime ran, regimes " + regimes.keySet());
        }
    }

    /**
     * One regime's final models tested: each site's metrics on its own test images, and {@code pooled} on all sites'
     * test images together (each image scored by the model its site is tested with). Metrics undefined on a set of
     * images (AUC on images of one class) are left out.
     *
     * @param regime     {@code local}, {@code federated} or {@code centralized}
     * @param sites      per site id, {@link ClassificationMetrics} on the site's test images
     * @param pooled     {@link ClassificationMetrics} on all test images; for the federated regime the defined
     *                   ones of {@link ImageSimulation.Result#pooledTest()}
     * @param models     per site id, the model the site is tested with (local: its own; else the one model)
     * @param wallMillis how long the regime took
     */
    public record RegimeOutcome(String regime, Map<String, Map<String, Double>> sites, Map<String, Double> pooled,
                                Map<String, ModelParameters> models, long wallMillis) {

        public RegimeOutcome {
            if (regime == null || regime.isBlank()) {
                throw new IllegalArgumentException("regime outcome: 'regime' is required");
            }
            sites = Collections.unmodifiableMap(new LinkedHashMap<>(sites));
            pooled = Collections.unmodifiableMap(new LinkedHashMap<>(pooled));
            models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
            if (wallMillis < 0) {
                throw new IllegalArgumentException("regime outcome '" + regime + "': 'wallMillis' must be >= 0, got "
                        + wallMillis);
            }
        }
    }

    /**
     * Runs the plan's {@code regimes} (default all three) on the same split, initial parameters and budget, one after
     * the other (DJL holds one gradient collector per JVM): {@code local} trains each site's own model on its own
     * training images, {@code centralized} one model on all sites' training images pooled (site order), each for
     * {@code rounds} fits of the plan's local work (so {@code rounds x local_epochs} epochs, or
     * {@code rounds x local_steps} steps continuing one batch cursor) with the spec's optimizer, fresh each fit, the
     * fit's batch size and learning rate and the tabular baselines' seeds ({@code SITE_FIT} per site and round,
     * {@code CENTRALIZED_FIT} per round). The baselines train plainly: no FedProx term (there is no global model) and
     * no DP-SGD. {@code federated} is {@link ImageSimulation#run}, bit for bit.
     */
    public static ImageComparison run(SimulationConfig config, ImageDatasetDefinition dataset, RunListener listener) {
        ImageModelSpec spec = ImageSimulation.check(config, dataset);
        ImageDatasetDefinition.Loaded images = dataset.load(Seeds.of(config.seed(), Seeds.Stream.VALIDATION_SPLIT));
        ImagePartition partition = ImageSimulation.partitionOf(config, dataset);
        List<ImageDatasetDefinition.Loaded> shares = ImageSimulation.deal(images, partition, config.seed());
        ImageModel model = ImageModel.build(spec, images.train().shape(), dataset.classes());
        List<String> ids = ImageSimulation.siteIds(partition.sites());
        ModelParameters init = model.init(Seeds.of(config.seed(), Seeds.Stream.INIT));
        FitConfig fit = PlanSettings.fitConfig(config).withTerms(List.of());
        Map<String, RegimeOutcome> regimes = new LinkedHashMap<>();
        ImageSimulation.Result federated = null;
        for (Regime regime : config.regimes()) {
            long start = System.nanoTime();
            switch (regime) {
                case LOCAL -> {
                    Map<String, ModelParameters> models = new LinkedHashMap<>();
                    try (ImageNetwork net = model.open()) {
                        for (int i = 0; i < ids.size(); i++) {
                            String id = ids.get(i);
                            models.put(id, train(net, init, shares.get(i).train(), config.rounds(),
                                    round -> fit.withSeed(Seeds.ofSiteRound(config.seed(), Seeds.Stream.SITE_FIT, id,
                                            round))));
                        }
                    }
                    regimes.put(regime.key(), evaluate(regime, model, ids, shares, models, null, start));
                }
                case CENTRALIZED -> {
                    ImageData pooled = ImageData.concat(shares.stream().map(ImageDatasetDefinition.Loaded::train)
                            .toList());
                    ModelParameters trained;
                    try (ImageNetwork net = model.open()) {
                        trained = train(net, init, pooled, config.rounds(),
                                round -> fit.withSeed(Seeds.ofRound(config.seed(), Seeds.Stream.CENTRALIZED_FIT,
                                        round)));
                    }
                    Map<String, ModelParameters> models = new LinkedHashMap<>();
                    ids.forEach(id -> models.put(id, trained));
                    regimes.put(regime.key(), evaluate(regime, model, ids, shares, models, null, start));
                }
                case FEDERATED -> {
                    federated = ImageSimulation.federated(config, dataset, images, partition, shares, model, listener);
                    Map<String, ModelParameters> models = new LinkedHashMap<>();
                    ModelParameters fin = federated.run().finalModel();
                    ids.forEach(id -> models.put(id, fin));
                    regimes.put(regime.key(), evaluate(regime, model, ids, shares, models, federated.pooledTest(),
                            start));
                }
                case PERSONALIZED -> throw new IllegalArgumentException("config key 'simulation.regimes': regime"
                        + " 'personalized' is not available for image models: an image site keeps no personal model");
            }
        }
        return new ImageComparison(dataset, partition, model, ids,
                shares.stream().map(s -> s.train().count()).toList(),
                shares.stream().map(s -> s.test().count()).toList(), regimes, federated);
    }

    /** {@code rounds} plain fits from {@code init} on {@code data}, the fit of round r from {@code fitOf}. */
    private static ModelParameters train(ImageNetwork net, ModelParameters init, ImageData data, int rounds,
                                         java.util.function.IntFunction<FitConfig> fitOf) {
        float[] params = init.copyFlat();
        BatchCursor cursor = new BatchCursor();
        for (int round = 1; round <= rounds; round++) {
            FitConfig f = fitOf.apply(round);
            ImageTrainer.train(net, params, data, f, cursor, LocalTerms.bind(f, params), ImageGradient.PLAIN);
        }
        return ModelParameters.ofFlat(init.layout(), params);
    }

    private static RegimeOutcome evaluate(Regime regime, ImageModel model, List<String> ids,
                                          List<ImageDatasetDefinition.Loaded> shares,
                                          Map<String, ModelParameters> models, Map<String, Double> pooledGiven,
                                          long startNanos) {
        Map<String, Map<String, Double>> perSite = new LinkedHashMap<>();
        List<float[]> predictions = new ArrayList<>();
        List<float[]> labels = new ArrayList<>();
        try (ImageNetwork net = model.open()) {
            for (int i = 0; i < ids.size(); i++) {
                ImageData test = shares.get(i).test();
                net.load(models.get(ids.get(i)));
                float[] p = predictions(net.probabilities(test), test.count(), model.classes());
                predictions.add(p);
                labels.add(test.labelsAsFloats());
                perSite.put(ids.get(i), defined(ClassificationMetrics.compute(p, test.labelsAsFloats(),
                        model.classes())));
            }
        }
        Map<String, Double> pooled = pooledGiven != null ? defined(pooledGiven)
                : defined(ClassificationMetrics.compute(concat(predictions), concat(labels), model.classes()));
        return new RegimeOutcome(regime.key(), perSite, pooled, models, (System.nanoTime() - startNanos) / 1_000_000);
    }

    /** What {@link ClassificationMetrics} takes: the positive class's probability for 2 classes, else all. */
    static float[] predictions(float[] probabilities, int count, int classes) {
        if (classes != 2) {
            return probabilities;
        }
        float[] p = new float[count];
        for (int i = 0; i < count; i++) {
            p[i] = probabilities[i * 2 + 1];
        }
        return p;
    }

    private static Map<String, Double> defined(Map<String, Double> metrics) {
        Map<String, Double> out = new LinkedHashMap<>();
        metrics.forEach((k, v) -> {
            if (v != null && !v.isNaN()) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static float[] concat(List<float[]> parts) {
        float[] all = new float[parts.stream().mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, all, at, a.length);
            at += a.length;
        }
        return all;
    }
}
