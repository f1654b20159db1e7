package org.fedmed.imaging;

import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalWork;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.BatchSampler;
import org.fedmed.ml.LocalTerms;
import org.fedmed.ml.MiniBatches;
import org.fedmed.ml.Trainer;
import org.fedmed.ml.TrainingResult;
import org.fedmed.ml.optim.Optimizer;
import org.fedmed.ml.optim.Optimizers;

/**
 * Local mini-batch training of an {@link ImageNetwork} on a site's images, the image counterpart of
 * {@code org.fedmed.ml.Trainer} with the same batches and the same arithmetic after the gradient: each step takes a
 * batch from fedmed-ml's shuffled {@link BatchSampler} (so the data order is the tabular trainer's for the same seed:
 * E epochs are E seeded passes, {@code local_steps} continue the site's {@link BatchCursor}), asks the
 * {@link ImageGradient} seam for the batch's gradient (DJL's backward pass, or DP-SGD's), adds the fit's
 * {@link LocalTerms} (FedProx's {@code mu (w - w_global)}) and hands the result to the spec's optimizer (SGD with
 * momentum or Adam, fresh state each fit) on our flat float vector, which is then written back to the block.
 * Parameters not trained by gradient (batch-norm running statistics) are taken from the block after each forward
 * pass and never touched by the terms or the optimizer. The loss is softmax cross-entropy.
 *
 * <p>Training stops with an {@link IllegalStateException} as soon as the loss or a parameter becomes NaN or
 * infinite, naming the step. With one intra-op thread the result is deterministic: the same network, parameters,
 * images, settings and seed give bit-identical parameters.
 */
public final class ImageTrainer {

    private ImageTrainer() {
    }

    /**
     * Trains {@code params} (in the model's layout, updated in place; the network ends holding them) with the fit's
     * work, batch size, learning rate, seed and already bound local terms; a {@code local_steps} fit takes its
     * batches from {@code cursor} and leaves it where it stopped (an epochs fit does not touch it).
     *
     * @throws IllegalArgumentException if the images or the parameters do not fit the model
     * @throws IllegalStateException    if training diverges
     */
    public static TrainingResult train(ImageNetwork net, float[] params, ImageData data, FitConfig config,
                                       BatchCursor cursor, LocalTerms terms, ImageGradient gradient) {
        ImageModel model = net.model();
        if (params.length != model.parameterCount()) {
            throw new IllegalArgumentException("params have " + params.length + " values but the model has "
                    + model.parameterCount());
        }
        if (data.count() == 0) {
            throw new IllegalArgumentException("cannot train on no images");
        }
        int bad = Trainer.firstNonFinite(params);
        if (bad >= 0) {
            throw new IllegalArgumentException("initial parameter " + bad + " of tensor '"
                    + model.layout().entries().get(entryAt(model, bad)).name() + "' is " + params[bad]);
        }
        boolean epochs = config.work() instanceof LocalWork.Epochs;
        int count = config.work().count();
        int rows = data.count();
        int batch = Math.min(config.batchSize(), rows);
        int blocks = epochs ? count : 1;
        int stepsPerBlock = epochs ? (rows + batch - 1) / batch : count;
        MiniBatches batches = BatchSampler.SHUFFLED.open(rows, batch, config.seed(),
                epochs ? new BatchCursor() : cursor);
        Optimizer optimizer = Optimizers.create(model.spec().optimizer(), params.length);
        float[] grad = new float[params.length];
        double lr = config.learningRate();
        net.write(params);
        double lastLoss = Double.NaN;
        long steps = 0;
        for (int b = 1; b <= blocks; b++) {
            double lossSum = 0;
            long examples = 0;
            for (int s = 1; s <= stepsPerBlock; s++) {
                int taken = batches.next();
                double loss = gradient.lossSum(net, data, batches.rows(), batches.from(), taken, grad);
                if (!Double.isFinite(loss)) {
                    throw diverged("the training loss is " + loss / taken, epochs, b, blocks, s, stepsPerBlock, lr);
                }
                net.read(params, true);
                terms.addTo(params, grad);
                for (int i = 0; i < grad.length; i++) {
                    if (!model.isTrainable(i)) {
                        grad[i] = 0f;
                    }
                }
                optimizer.step(params, grad, lr);
                steps++;
                bad = Trainer.firstNonFinite(params);
                if (bad >= 0) {
                    throw diverged("parameter " + bad + " of tensor '"
                            + model.layout().entries().get(entryAt(model, bad)).name() + "' is " + params[bad],
                            epochs, b, blocks, s, stepsPerBlock, lr);
                }
                net.writeTrainable(params);
                lossSum += loss;
                examples += taken;
            }
            lastLoss = lossSum / examples;
        }
        return new TrainingResult(lastLoss, epochs ? count : 0, steps);
    }

    /** As above with no local term and the plain gradient. */
    public static TrainingResult train(ImageNetwork net, float[] params, ImageData data, FitConfig config) {
        return train(net, params, data, config, new BatchCursor(), LocalTerms.bind(config, params),
                ImageGradient.PLAIN);
    }

    private static int entryAt(ImageModel model, int index) {
        var entries = model.layout().entries();
        for (int i = 0; i < entries.size(); i++) {
            if (index >= entries.get(i).offset() && index < entries.get(i).offset() + entries.get(i).size()) {
                return i;
            }
        }
        throw new IndexOutOfBoundsException(index);
    }

    private static IllegalStateException diverged(String what, boolean epochs, int epoch, int epochCount, int step,
                                                  int steps, double lr) {
        String where = epochs ? "epoch " + epoch + "/" + epochCount + ", step " + step + "/" + steps
                : "local step " + step + "/" + steps;
        return new IllegalStateException("training diverged: " + what + " at " + where
                + "; lower the learning rate (was " + lr + ")");
    }
}
