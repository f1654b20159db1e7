package org.fedmed.imaging;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.LocalTerms;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.ml.OptimizerSpec;
import org.fedmed.ml.Trainer;

/**
 * Times one local epoch on the first N Fashion-MNIST training images: NIID-Bench's simple-cnn through DJL (its
 * settings: SGD, momentum 0.9, lr 0.01, batch 64), a small ResNet, DP-SGD's per-example loop, and fedmed-ml's
 * plain-Java MLP on the same pixels; prints a Markdown table for docs/imaging.md. Arguments: N (default 6000),
 * repeats (default 3; the best and the median are reported). Run with the module's test class path and the same JVM
 * settings as its tests (see docs/imaging.md).
 */
public final class ImagingEpochBench {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 6000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        ImageData train = FashionMnist.train(FashionMnist.directory(), n);
        FitConfig epoch = new FitConfig(1, 64, 0.01, false, 1);
        System.out.printf("N = %d images of %s, batch 64, ai.djl.pytorch.num_threads=%s, %d cores%n",
                n, train.shape(), System.getProperty("ai.djl.pytorch.num_threads"),
                Runtime.getRuntime().availableProcessors());
        long t0 = System.nanoTime();
        ImageModel cnn = ImageModel.build(CnnSpec.simpleCnn().withOptimizer(new OptimizerSpec.Sgd(0.9)),
                train.shape(), train.classes());
        try (ImageNetwork warm = cnn.open()) {
            System.out.printf("engine start and first network: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        }
        System.out.println();
        System.out.println("| model | parameters | images | ms per epoch (best / median) | images/s | ms per step |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        row("simple-cnn (DJL)", cnn, train, epoch, ImageGradient.PLAIN, repeats);
        ImageModel resnet = ImageModel.build(new ResNetSpec(8, List.of(1, 1, 1), Activation.RELU,
                new OptimizerSpec.Sgd(0.9)), train.shape(), train.classes());
        row("resnet width 8, blocks [1, 1, 1] (DJL)", resnet, train, epoch, ImageGradient.PLAIN, repeats);
        ImageData small = train.head(Math.min(n, 512));
        row("simple-cnn DP-SGD, examples of one (DJL)", cnn, small, epoch,
                ImageGradient.dpSgd(cnn, 1.0, 1.0, new SplittableRandom(1)), repeats);
        mlpRow(train, repeats);
    }

    private static void row(String name, ImageModel model, ImageData data, FitConfig config, ImageGradient gradient,
                            int repeats) {
        List<Double> ms = new ArrayList<>();
        long steps = 0;
        try (ImageNetwork net = model.open()) {
            // one warm-up epoch (JIT, allocator), not counted
            ImageTrainer.train(net, model.init(1).copyFlat(), data.head(Math.min(data.count(), 640)), config,
                    new BatchCursor(), LocalTerms.NONE, gradient);
            for (int r = 0; r < repeats; r++) {
                float[] params = model.init(1).copyFlat();
                long t = System.nanoTime();
                steps = ImageTrainer.train(net, params, data, config, new BatchCursor(), LocalTerms.NONE, gradient)
                        .steps();
                ms.add((System.nanoTime() - t) / 1e6);
            }
        }
        print(name, model.parameterCount(), data.count(), ms, steps);
    }

    private static void mlpRow(ImageData data, int repeats) {
        int cols = data.shape().size();
        float[] labels = data.labelsAsFloats();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < cols; i++) {
            names.add("px" + i);
        }
        LabeledData table = new LabeledData(data.pixels(), labels, data.count(), cols, data.classes(), names);
        ModelSpec spec = ModelSpec.mlp(120, 84).withOptimizer(new OptimizerSpec.Sgd(0.9));
        Model mlp = Models.build(spec, cols, data.classes());
        List<Double> ms = new ArrayList<>();
        long steps = 0;
        Trainer.train(mlp, mlp.init(1).copyFlat(), table.select(range(Math.min(640, data.count()))), 1, 64, 0.01, 1);
        for (int r = 0; r < repeats; r++) {
            float[] params = mlp.init(1).copyFlat();
            long t = System.nanoTime();
            steps = Trainer.train(mlp, params, table, new FitConfig(LocalWork.epochs(1), 64, 0.01, false, 1)).steps();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        print("MLP 784-120-84-10 (plain Java, fedmed-ml)", mlp.parameterCount(), data.count(), ms, steps);
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    private static void print(String name, int params, int images, List<Double> ms, long steps) {
        List<Double> sorted = new ArrayList<>(ms);
        sorted.sort(null);
        double best = sorted.getFirst();
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("| %s | %,d | %,d | %.0f / %.0f | %,.0f | %.2f |%n", name, params, images, best, median,
                images / (best / 1000), best / steps);
    }
}
