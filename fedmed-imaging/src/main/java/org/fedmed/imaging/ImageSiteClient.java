package org.fedmed.imaging;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.fedmed.core.EvalResult;
import org.fedmed.core.EvalTask;
import org.fedmed.core.FitResult;
import org.fedmed.core.FitTask;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.SiteClient;
import org.fedmed.core.metrics.ClassificationMetrics;
import org.fedmed.ml.BatchCursor;
import org.fedmed.ml.LocalTerms;
import org.fedmed.ml.TrainingResult;

/**
 * A site that trains and evaluates an {@link ImageModel} on its own images through DJL, so the
 * {@link org.fedmed.core.engine.RoundEngine} runs FedAvg (or any strategy whose fits are plain local training,
 * optionally with FedProx's proximal term) over image sites exactly as over tabular ones. It accepts only parameters
 * in its model's layout and returns parameters (or their delta) and aggregate metrics: the training loss after a fit,
 * and {@link ClassificationMetrics} on its test images after an evaluation. No image, label or prediction leaves it.
 *
 * <p>All DJL work of the site runs on one platform thread that the site owns (PyTorch keeps per-thread state), so its
 * fits and evaluations run one at a time, in arrival order; {@code local_steps} fits continue one
 * {@link BatchCursor} for the site's life. It refuses fits it cannot train faithfully: SCAFFOLD (it keeps no control
 * variate) and personalizations (FedPer, Ditto: it keeps no personal model). With {@link ImageDpSgd} settings every
 * fit trains with DP-SGD and is charged to the site's privacy account (fedmed-privacy's RDP accountant): a fit over
 * the site's {@code max_epsilon} is refused before it trains, and a fit reports only {@code dp_epsilon}, the
 * cumulative epsilon. Close the site to free its network and thread.
 */
public final class ImageSiteClient implements SiteClient, AutoCloseable {

    private final String siteId;
    private final ImageModel model;
    private final ImageData train;
    private final ImageData test;
    private final ImageDpSgd dp;
    private final org.fedmed.privacy.dpsgd.DpSgdTraining account;
    private final ExecutorService thread;
    private final BatchCursor cursor = new BatchCursor();
    private volatile Thread owner;
    private ImageNetwork network;

    /** A site that trains plainly. */
    public ImageSiteClient(String siteId, ImageModel model, ImageData train, ImageData test) {
        this(siteId, model, train, test, null);
    }

    /** A site that trains with DP-SGD when {@code dp} is not null. */
    public ImageSiteClient(String siteId, ImageModel model, ImageData train, ImageData test, ImageDpSgd dp) {
        if (siteId == null || siteId.isBlank()) {
            throw new IllegalArgumentException("an image site needs an id");
        }
        this.siteId = siteId;
        this.model = Objects.requireNonNull(model, "model");
        if (train.count() == 0) {
            throw new IllegalArgumentException("site '" + siteId + "' has no training images");
        }
        if (test.count() == 0) {
            throw new IllegalArgumentException("site '" + siteId + "' has no test images");
        }
        for (ImageData d : new ImageData[]{train, test}) {
            if (!d.shape().equals(model.input()) || d.classes() != model.classes()) {
                throw new IllegalArgumentException("site '" + siteId + "': images are " + d.shape() + " with "
                        + d.classes() + " classes but the model is " + model);
            }
        }
        if (dp != null && model.hasBatchNorm()) {
            throw new IllegalArgumentException("site '" + siteId + "': DP-SGD needs per-example gradients, but "
                    + model + " has batch norm; use a cnn spec");
        }
        this.train = train;
        this.test = test;
        this.dp = dp;
        this.account = dp == null ? null : dp.account();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fedmed-imaging-" + siteId);
            t.setDaemon(true);
            owner = t;
            return t;
        });
    }

    @Override
    public String siteId() {
        return siteId;
    }

    @Override
    public FitResult fit(FitTask task) {
        checkLayout(task.global());
        for (LocalTerm term : task.config().terms()) {
            if (term instanceof LocalTerm.UpdateNoise) {
                throw new IllegalArgumentException("site '" + siteId + "', round " + task.round() + ": the fit asks"
                        + " for local term '" + term.name() + "' (DP-FedAvg noise at the site), which an image site"
                        + " does not add; use dp.noise: central");
            }
            if (term instanceof LocalTerm.ControlVariates || term instanceof LocalTerm.Ditto
                    || term instanceof LocalTerm.PersonalLayers) {
                throw new IllegalArgumentException("site '" + siteId + "', round " + task.round() + ": the fit asks"
                        + " for local term '" + term.name() + "', which an image site does not train (it keeps no"
                        + " control variate and no personal model); use FedAvg-family strategies or FedProx");
            }
        }
        if (account != null) {
            // refused before any training when the fit would take the site past its max_epsilon
            account.admit(siteId, task, train.count());
        }
        float[] global = task.global().flat();
        float[] params = task.global().copyFlat();
        TrainingResult result = onSiteThread(task.round(), () -> {
            ImageGradient gradient = dp == null ? ImageGradient.PLAIN : dp.gradient(model, task.config().seed());
            return ImageTrainer.train(network(), params, train, task.config(), cursor,
                    LocalTerms.bind(task.config(), global), gradient);
        });
        if (task.config().sendDelta()) {
            for (int i = 0; i < params.length; i++) {
                params[i] -= global[i];
            }
        }
        Map<String, Double> metrics = account == null ? Map.of("loss", result.lastEpochLoss())
                : account.completed(task, train.count(), result);
        return new FitResult(siteId, task.taskId(), ModelParameters.ofFlat(model.layout(), params),
                task.config().sendDelta(), train.count(), 1.0, metrics);
    }

    @Override
    public EvalResult evaluate(EvalTask task) {
        checkLayout(task.global());
        Map<String, Double> metrics = onSiteThread(task.round(), () -> metrics(task.global()));
        return new EvalResult(siteId, task.taskId(), test.count(), metrics);
    }

    /**
     * The site's cumulative example-level privacy at its delta over all its fits so far; empty without DP-SGD.
     */
    public java.util.Optional<org.fedmed.privacy.accounting.PrivacySpent> privacySpent() {
        return account == null ? java.util.Optional.empty() : java.util.Optional.of(account.privacySpent());
    }

    /** {@link ClassificationMetrics} of {@code params} on this site's test images. */
    public Map<String, Double> metrics(ModelParameters params) {
        checkLayout(params);
        return onSiteThreadIfNeeded(() -> {
            ImageNetwork net = network();
            net.load(params);
            float[] probs = net.probabilities(test);
            int classes = model.classes();
            float[] predictions = probs;
            if (classes == 2) {
                predictions = new float[test.count()];
                for (int i = 0; i < test.count(); i++) {
                    predictions[i] = probs[i * 2 + 1];
                }
            }
            return new LinkedHashMap<>(ClassificationMetrics.compute(predictions, test.labelsAsFloats(), classes));
        });
    }

    private ImageNetwork network() {
        if (network == null) {
            network = model.open();
        }
        return network;
    }

    private <T> T onSiteThreadIfNeeded(Callable<T> work) {
        if (Thread.currentThread() == owner) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return onSiteThread(0, work);
    }

    private <T> T onSiteThread(int round, Callable<T> work) {
        try {
            return thread.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("site '" + siteId + "', round " + round + ": interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("site '" + siteId + "', round " + round + ": " + cause.getMessage(), cause);
        }
    }

    private void checkLayout(ModelParameters global) {
        if (!global.layout().equals(model.layout())) {
            throw new IllegalArgumentException("site '" + siteId + "': the task's model " + global.layout().entries()
                    + " is not the model this site was configured for " + model.layout().entries());
        }
    }

    /** Frees the site's network and stops its thread; waits for a fit in progress. */
    @Override
    public void close() {
        try {
            thread.submit(() -> {
                if (network != null) {
                    network.close();
                    network = null;
                }
            }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("site '" + siteId + "': closing its network failed: "
                    + e.getCause().getMessage(), e.getCause());
        } finally {
            thread.shutdown();
        }
    }
}
