package org.fedmed.imaging;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fedmed.core.FitConfig;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Seeds;
import org.fedmed.core.engine.EngineConfig;
import org.fedmed.core.engine.InProcessSitePool;
import org.fedmed.core.engine.RoundEngine;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.RunListener;
import org.fedmed.core.engine.RunResult;
import org.fedmed.core.engine.StoppingRule;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.core.strategy.FederatedAveraging;
import org.fedmed.core.strategy.SiteSelection;
import org.fedmed.core.strategy.SiteWeighting;
import org.fedmed.data.partition.DirichletPartitioner;
import org.fedmed.data.partition.IidPartitioner;
import org.fedmed.ml.OptimizerSpec;

/**
 * The imaging benchmark: all 60,000 Fashion-MNIST training images dealt to S sites by Dirichlet(alpha) label
 * skew (NIID-Bench's noniid-labeldir, at least 10 images a site), NIID-Bench's simple-cnn (SGD, momentum 0.9,
 * lr 0.01, batch 64), FedAvg weighted by examples over R rounds of E local epochs, through the round engine and the
 * in-process pool (2 sites train at once). Reports the global model's accuracy on the 10,000 test images after each
 * round, the wall time per round and the peak heap and resident memory. Arguments: sites (10), alpha (0.5),
 * rounds (10), local epochs (1), run seed (1).
 */
public final class ImagingFederationBench {

    public static void main(String[] args) throws Exception {
        int siteCount = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        double alpha = args.length > 1 ? Double.parseDouble(args[1]) : 0.5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int epochs = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 1;
        Path dir = FashionMnist.directory();
        ImageData train = FashionMnist.train(dir, Integer.MAX_VALUE);
        ImageData test = FashionMnist.test(dir, Integer.MAX_VALUE);
        ImageModel model = ImageModel.build(CnnSpec.simpleCnn().withOptimizer(new OptimizerSpec.Sgd(0.9)),
                train.shape(), train.classes());
        long partitionSeed = Seeds.of(seed, Seeds.Stream.PARTITION);
        List<ImageData> trainSites = ImageSites.split(train, new DirichletPartitioner(alpha, 10), siteCount,
                partitionSeed);
        // each site evaluates on a share of the test images; the global accuracy below uses all 10,000
        List<ImageData> testSites = ImageSites.split(test, new IidPartitioner(), siteCount, partitionSeed);
        List<ImageSiteClient> sites = new ArrayList<>();
        StringBuilder sizes = new StringBuilder();
        for (int i = 0; i < siteCount; i++) {
            sites.add(new ImageSiteClient("site-" + (i + 1), model, trainSites.get(i), testSites.get(i)));
            sizes.append(i == 0 ? "" : ", ").append(trainSites.get(i).count());
        }
        System.out.printf("%d sites, Dirichlet(%s) label skew, site sizes [%s]; simple-cnn, %d parameters;"
                        + " FedAvg, %d rounds x %d local epoch(s), batch 64, lr 0.01, momentum 0.9%n",
                siteCount, alpha, sizes, model.parameterCount(), rounds, epochs);
        FederatedAveraging strategy = new FederatedAveraging(SiteWeighting.SAMPLE_COUNT, SiteSelection.all(siteCount),
                new FitConfig(epochs, 64, 0.01, false, 0), 1.0);
        EngineConfig config = EngineConfig.of(StoppingRule.rounds(rounds), seed).withRoundDeadline(Duration.ofMinutes(30));
        try (ImageNetwork judge = model.open(); InProcessSitePool pool = new InProcessSitePool(sites, 2)) {
            System.out.println();
            System.out.println("| round | wall s | test accuracy (10,000 images) | mean site log loss |");
            System.out.println("|---:|---:|---:|---:|");
            RunListener listener = new RunListener() {
                @Override
                public void roundFinished(RoundRecord record, ModelParameters global) {
                    judge.load(global);
                    double acc = accuracy(judge.probabilities(test), test);
                    Map<String, Double> eval = record.evalMetrics();
                    System.out.printf("| %d | %.1f | %.4f | %.4f |%n", record.round(), record.durationMillis() / 1000.0,
                            acc, eval.getOrDefault(ClassificationMetrics.LOG_LOSS, Double.NaN));
                }
            };
            long start = System.nanoTime();
            RunResult run = new RoundEngine(strategy, pool, config, listener)
                    .run(model.init(Seeds.of(seed, Seeds.Stream.INIT)));
            double total = (System.nanoTime() - start) / 1e9;
            System.out.printf("%nrun: %.1f s for %d rounds (%.1f s a round); peak heap (sum of the heap pools' peaks) %d MiB; peak resident %s%n",
                    total, run.rounds().size(), total / run.rounds().size(),
                    ManagementFactory.getMemoryPoolMXBeans().stream()
                            .filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                            .mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20,
                    peakResident());
        } finally {
            sites.forEach(ImageSiteClient::close);
        }
    }

    static double accuracy(float[] probs, ImageData data) {
        int right = 0;
        int k = data.classes();
        for (int i = 0; i < data.count(); i++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (probs[i * k + c] > probs[i * k + best]) {
                    best = c;
                }
            }
            right += best == data.labels()[i] ? 1 : 0;
        }
        return (double) right / data.count();
    }

    private static String peakResident() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return line.substring(6).trim();
            }
        }
        return "unknown";
    }
}
