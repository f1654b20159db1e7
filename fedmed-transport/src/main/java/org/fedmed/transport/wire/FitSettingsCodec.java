package org.fedmed.transport.wire;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.transport.proto.FitSettings;
import org.fedmed.transport.proto.LocalTermSetting;

/**
 * Converts a {@link FitConfig} to its wire form {@link FitSettings} and back: the one place both ends of the
 * transport encode and decode a fit's settings, its local work and its typed {@link LocalTerm}s. A term travels as
 * its name, version and numbers; decoding knows each name and version this build implements, and a new term is one
 * case of {@link #termFromWire}. FedPer's {@link LocalTerm.PersonalLayers} carries its tensors as their indices in
 * the task's parameter layout, which the task carries beside the settings and the site checks against its model. Decoding a term this build does not know throws {@link UnknownLocalTermException}, so
 * a site refuses the fit rather than train without it. {@code fromWire(toWire(c))} equals {@code c} for every fit.
 */
public final class FitSettingsCodec {

    private FitSettingsCodec() {
    }

    /** The wire form of {@code config}. */
    public static FitSettings toWire(FitConfig config) {
        FitSettings.Builder f = FitSettings.newBuilder().setBatchSize(config.batchSize())
                .setLearningRate(config.learningRate()).setSendDelta(config.sendDelta()).setSeed(config.seed());
        switch (config.work()) {
            case LocalWork.Epochs e -> f.setLocalEpochs(e.count());
            case LocalWork.Steps s -> f.setLocalSteps(s.count());
        }
        for (LocalTerm t : config.terms()) {
            f.addTerms(LocalTermSetting.newBuilder().setName(t.name()).setVersion(t.version())
                    .addAllValues(t.values()));
        }
        return f.build();
    }

    /**
     * The fit a wire message asks for.
     *
     * @throws UnknownLocalTermException if it carries a term whose name or version this build does not know
     * @throws IllegalArgumentException  naming the problem: no local work, a setting out of range, a term with the
     *                                   wrong count of numbers or a number out of range, or a term given twice
     */
    public static FitConfig fromWire(FitSettings f) {
        LocalWork work = switch (f.getLocalWorkCase()) {
            case LOCAL_EPOCHS -> LocalWork.epochs(f.getLocalEpochs());
            case LOCAL_STEPS -> LocalWork.steps(f.getLocalSteps());
            case LOCALWORK_NOT_SET -> throw new IllegalArgumentException(
                    "fit settings set neither local_epochs nor local_steps");
        };
        List<LocalTerm> terms = new ArrayList<>(f.getTermsCount());
        for (LocalTermSetting t : f.getTermsList()) {
            terms.add(termFromWire(t));
        }
        return new FitConfig(work, f.getBatchSize(), f.getLearningRate(), f.getSendDelta(), f.getSeed(), terms);
    }

    /** The term a wire setting names; see {@link #fromWire}. */
    static LocalTerm termFromWire(LocalTermSetting t) {
        String name = t.getName();
        int version = t.getVersion();
        return switch (name) {
            case LocalTerm.Proximal.NAME -> switch (version) {
                case LocalTerm.Proximal.VERSION -> new LocalTerm.Proximal(values(t, LocalTerm.Proximal.KEY)[0]);
                default -> throw new UnknownLocalTermException(name, version);
            };
            case LocalTerm.ControlVariates.NAME -> switch (version) {
                case LocalTerm.ControlVariates.VERSION -> {
                    values(t);
                    yield new LocalTerm.ControlVariates();
                }
                default -> throw new UnknownLocalTermException(name, version);
            };
            case LocalTerm.Ditto.NAME -> switch (version) {
                case LocalTerm.Ditto.VERSION -> new LocalTerm.Ditto(values(t, LocalTerm.Ditto.KEY)[0]);
                default -> throw new UnknownLocalTermException(name, version);
            };
            case LocalTerm.PersonalLayers.NAME -> switch (version) {
                case LocalTerm.PersonalLayers.VERSION -> new LocalTerm.PersonalLayers(tensorIndices(t));
                default -> throw new UnknownLocalTermException(name, version);
            };
            case LocalTerm.UpdateNoise.NAME -> switch (version) {
                case LocalTerm.UpdateNoise.VERSION -> {
                    double[] v = values(t, "clip_norm", "noise_multiplier", "shares");
                    yield new LocalTerm.UpdateNoise(v[0], v[1], v[2]);
                }
                default -> throw new UnknownLocalTermException(name, version);
            };
            default -> throw new UnknownLocalTermException(name, version);
        };
    }

    /** The setting's numbers as tensor indices of the task's layout: whole numbers in [0, 2^31 - 1]. */
    private static List<Integer> tensorIndices(LocalTermSetting t) {
        List<Integer> out = new ArrayList<>(t.getValuesCount());
        for (double v : t.getValuesList()) {
            if (!(v >= 0 && v <= Integer.MAX_VALUE && v == Math.rint(v))) {
                throw new IllegalArgumentException("local term '" + t.getName() + "' version " + t.getVersion()
                        + " takes tensor indices (whole numbers >= 0), got " + t.getValuesList());
            }
            out.add((int) v);
        }
        return out;
    }

    /** The setting's numbers, exactly one per name in {@code keys}. */
    private static double[] values(LocalTermSetting t, String... keys) {
        if (t.getValuesCount() != keys.length) {
            throw new IllegalArgumentException("local term '" + t.getName() + "' version " + t.getVersion()
                    + " takes " + keys.length + " value(s) " + List.of(keys) + ", got " + t.getValuesList());
        }
        double[] out = new double[keys.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getValues(i);
        }
        return out;
    }
}
