package org.fedmed.ml;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LabeledData;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ParameterLayout;

/**
 * A site's personal model for a run, kept at the site and never sent: what a fit's personalization term
 * ({@link LocalTerm.PersonalLayers FedPer} or {@link LocalTerm.Ditto Ditto}) asks the site to keep. It is empty until
 * the first personalized fit, which also fixes its kind (and, for FedPer, which tensors are personal) for the rest
 * of the run; a later fit asking for another personalization is refused. Every fit trains with the same
 * {@link Trainer} and the site's {@link TrainingSeams}:
 * <ul>
 *   <li>FedPer: the personal tensors of the received global model are replaced with the site's own (the first global
 *       model's values at the first fit), the model trains, the site keeps the trained personal tensors, and the
 *       update it returns carries the received global's values for them, so they are the same at every site and the
 *       server learns nothing about them;</li>
 *   <li>Ditto: the global model trains as plain local training (that is the update returned, bit for bit what the
 *       fit would give without Ditto), and the personal model {@code v} (the first global model at the first fit)
 *       trains for the same local work with the proximal term {@code lambda (v - w_global)} toward the
 *       received global model, over its own batch cursor so that the global model's data order is untouched, with
 *       the personal seed and seams the site's {@link SiteTraining} gives (plain training: the fit's own seed and
 *       seams; DP-SGD: a seed of its own and its clipped, noised gradient).</li>
 * </ul>
 * The personal state changes only when a fit succeeds; the state before the last fit is kept too (Ditto's batch
 * order included), so that a round the server sends again (after a crash that lost it) trains from where it first
 * started, as the site's own batch cursor does. {@link #state} and {@link #restore} carry all of it (the state before
 * the last fit too) across a restart of the site. Not thread-safe: its site serializes fits and evaluations.
 */
final class PersonalModel {

    private final Model model;
    private LocalTerm kind;
    private float[] personal;
    private BatchCursor dittoCursor = new BatchCursor();
    /** The round of the last personalized fit (0 before the first), and the state that fit started from. */
    private int lastRound;
    private LocalTerm kindBefore;
    private float[] personalBefore;
    private BatchCursor.Mark dittoBefore;

    PersonalModel(Model model) {
        this.model = model;
    }

    /** The personalization this model was kept for, or null before the first personalized fit. */
    LocalTerm kind() {
        return kind;
    }

    /** Whether a personalized fit has run, so there is a personal model to evaluate. */
    boolean isPresent() {
        return personal != null;
    }

    /** The personalization term of {@code config}, or null when it has none; two are refused. */
    static LocalTerm personalization(FitConfig config) {
        LocalTerm found = null;
        for (LocalTerm t : config.terms()) {
            if (t instanceof LocalTerm.Ditto || t instanceof LocalTerm.PersonalLayers) {
                if (found != null) {
                    throw new IllegalArgumentException("a fit takes one personalization, got '" + found.describe()
                            + "' and '" + t.describe() + "'");
                }
                found = t;
            }
        }
        return found;
    }

    /** {@code config} without its personalization term: what the global model trains with. */
    static FitConfig withoutPersonalization(FitConfig config) {
        List<LocalTerm> rest = new ArrayList<>();
        for (LocalTerm t : config.terms()) {
            if (!(t instanceof LocalTerm.Ditto || t instanceof LocalTerm.PersonalLayers)) {
                rest.add(t);
            }
        }
        return config.withTerms(rest);
    }

    /**
     * Trains a personalized fit of {@code round}: {@code params} starts as a copy of {@code global} and ends as the
     * update to return; see the class comment for what each personalization does. The fit starts from the personal
     * state of the previous round: a fit for the round the site last trained (the server sent that round again, as a
     * server resumed after a crash does with the round it lost) starts from the state that round started from, and a
     * fit for an earlier round (the server started over) starts a new personal model, so a resumed run's personal
     * models are an uninterrupted run's.
     */
    TrainingResult fit(int round, LocalTerm personalization, float[] global, float[] params, LabeledData train,
                       FitConfig config, BatchCursor cursor, TrainingSeams seams, long personalSeed,
                       TrainingSeams personalSeams) {
        FitConfig plain = withoutPersonalization(config);
        LocalTerm startKind = round == lastRound ? kindBefore : round < lastRound ? null : kind;
        float[] start = round == lastRound ? personalBefore : round < lastRound ? null : personal;
        checkSameKind(startKind, personalization);
        if (round < lastRound) {
            dittoCursor = new BatchCursor();
        } else if (round == lastRound && dittoBefore != null) {
            dittoCursor.rewind(dittoBefore);
        }
        BatchCursor.Mark dittoStart = dittoCursor.mark();
        Trained trained = switch (personalization) {
            case LocalTerm.PersonalLayers p -> fitFedPer(p, start, global, params, train, plain, cursor, seams);
            case LocalTerm.Ditto d -> fitDitto(d, start, global, params, train, plain, cursor, seams,
                    personalSeed, personalSeams);
            case LocalTerm.Proximal p -> throw new IllegalArgumentException("'" + p.describe()
                    + "' is not a personalization");
            case LocalTerm.ControlVariates cv -> throw new IllegalArgumentException("'" + cv.describe()
                    + "' is not a personalization");
            case LocalTerm.UpdateNoise n -> throw new IllegalArgumentException("'" + n.describe()
                    + "' is not a personalization");
        };
        kindBefore = startKind;
        personalBefore = start;
        dittoBefore = dittoStart;
        lastRound = round;
        kind = personalization;
        personal = trained.kept();
        return trained.result();
    }

    /** A personalized fit's training result and the personal state it leaves at the site. */
    private record Trained(TrainingResult result, float[] kept) {
    }

    private Trained fitFedPer(LocalTerm.PersonalLayers p, float[] start, float[] global, float[] params,
                              LabeledData train, FitConfig plain, BatchCursor cursor, TrainingSeams seams) {
        List<ParameterLayout.Entry> tensors = personalTensors(p, model.layout());
        float[] own = start != null ? start : global.clone();
        copy(tensors, own, params);
        TrainingResult result = Trainer.train(model, params, train, plain, cursor, params, seams);
        float[] kept = own.clone();
        copy(tensors, params, kept);
        copy(tensors, global, params);
        return new Trained(result, kept);
    }

    private Trained fitDitto(LocalTerm.Ditto d, float[] start, float[] global, float[] params,
                             LabeledData train, FitConfig plain, BatchCursor cursor, TrainingSeams seams,
                             long personalSeed, TrainingSeams personalSeams) {
        TrainingResult result = Trainer.train(model, params, train, plain, cursor, params, seams);
        float[] v = start != null ? start.clone() : global.clone();
        Trainer.train(model, v, train, plain.withSeed(personalSeed)
                .withTerms(List.of(new LocalTerm.Proximal(d.lambda()))), dittoCursor, global, personalSeams);
        return new Trained(result, v);
    }

    /**
     * The site's personal model next to {@code global}: FedPer's global body with the site's personal tensors,
     * Ditto's {@code v}, or {@code global} itself before any personalized fit. A fresh array.
     */
    float[] parameters(float[] global) {
        if (personal == null) {
            return global.clone();
        }
        return switch (kind) {
            case LocalTerm.PersonalLayers p -> {
                float[] out = global.clone();
                copy(personalTensors(p, model.layout()), personal, out);
                yield out;
            }
            case LocalTerm.Ditto d -> personal.clone();
            case LocalTerm.Proximal p -> global.clone();
            case LocalTerm.ControlVariates cv -> global.clone();
            case LocalTerm.UpdateNoise n -> global.clone();
        };
    }

    private static void checkSameKind(LocalTerm kept, LocalTerm asked) {
        if (kept != null && !kept.equals(asked)) {
            throw new IllegalArgumentException("this site keeps a personal model for '" + kept.describe()
                    + "' in this run; the fit asks for '" + asked.describe() + "'");
        }
    }

    /**
     * The layout's tensors {@code p} names.
     *
     * @throws IllegalArgumentException naming the model's tensors, if an index is past the layout or the indices
     *                                  name every tensor (nothing would be shared)
     */
    static List<ParameterLayout.Entry> personalTensors(LocalTerm.PersonalLayers p, ParameterLayout layout) {
        List<ParameterLayout.Entry> entries = layout.entries();
        List<ParameterLayout.Entry> out = new ArrayList<>();
        for (int i : p.tensors()) {
            if (i >= entries.size()) {
                throw new IllegalArgumentException(LocalTerm.PersonalLayers.KEY + " names tensor index " + i
                        + " but the model has " + entries.size() + " tensors " + names(layout));
            }
            out.add(entries.get(i));
        }
        if (out.size() == entries.size()) {
            throw new IllegalArgumentException(LocalTerm.PersonalLayers.KEY + " names every tensor of the model "
                    + names(layout) + ", so nothing would be shared; keep some tensors global");
        }
        return out;
    }

    private static List<String> names(ParameterLayout layout) {
        return layout.entries().stream().map(ParameterLayout.Entry::name).toList();
    }

    private static void copy(List<ParameterLayout.Entry> tensors, float[] from, float[] to) {
        for (ParameterLayout.Entry e : tensors) {
            System.arraycopy(from, e.offset(), to, e.offset(), e.size());
        }
    }

    private static final String KIND = "personal.kind";
    private static final String KIND_BEFORE = "personal.kind_before";
    private static final String LAST_ROUND = "personal.last_round";
    private static final String MODEL = "personal.model";
    private static final String BEFORE = "personal.model_before";
    private static final String DITTO_CURSOR = "personal.ditto_cursor";
    private static final String DITTO_BEFORE = "personal.ditto_cursor_before";

    /** Everything this model keeps, as {@link #restore} reads it: nothing before the first personalized fit. */
    org.fedmed.core.strategy.StrategyState state() {
        java.util.Map<String, float[]> vectors = new java.util.LinkedHashMap<>();
        java.util.Map<String, String> values = new java.util.LinkedHashMap<>();
        if (kind == null) {
            return new org.fedmed.core.strategy.StrategyState(vectors, values);
        }
        values.put(KIND, encode(kind));
        if (kindBefore != null) {
            values.put(KIND_BEFORE, encode(kindBefore));
        }
        values.put(LAST_ROUND, Integer.toString(lastRound));
        vectors.put(MODEL, personal);
        if (personalBefore != null) {
            vectors.put(BEFORE, personalBefore);
        }
        values.putAll(dittoCursor.state(DITTO_CURSOR));
        if (dittoBefore != null) {
            values.put(DITTO_BEFORE, dittoBefore.passes() + ":" + dittoBefore.position());
        }
        return new org.fedmed.core.strategy.StrategyState(vectors, values);
    }

    /**
     * Continues from a {@link #state()} of a model of this layout, in a model that has had no fit.
     *
     * @throws IllegalArgumentException naming the entry, if one is missing, malformed or of another length
     */
    void restore(org.fedmed.core.strategy.StrategyState state) {
        java.util.Map<String, String> values = state.values();
        if (!values.containsKey(KIND)) {
            return;
        }
        java.util.Map<String, float[]> vectors = state.vectors();
        for (String name : List.of(MODEL, BEFORE)) {
            if (vectors.containsKey(name) && vectors.get(name).length != model.parameterCount()) {
                throw new IllegalArgumentException("training state vector '" + name + "' holds "
                        + vectors.get(name).length + " values but the model has " + model.parameterCount());
            }
        }
        if (!vectors.containsKey(MODEL)) {
            throw new IllegalArgumentException("training state vector '" + MODEL + "' is missing");
        }
        kind = decode(KIND, values.get(KIND));
        kindBefore = values.containsKey(KIND_BEFORE) ? decode(KIND_BEFORE, values.get(KIND_BEFORE)) : null;
        lastRound = Math.toIntExact(BatchCursor.number(values, LAST_ROUND));
        personal = vectors.get(MODEL);
        personalBefore = vectors.get(BEFORE);
        dittoCursor = new BatchCursor();
        dittoCursor.restore(values, DITTO_CURSOR);
        String before = values.get(DITTO_BEFORE);
        if (before != null) {
            String[] parts = before.split(":");
            try {
                dittoBefore = new BatchCursor.Mark(Long.parseLong(parts[0]), Integer.parseInt(parts[1]));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("training state value '" + DITTO_BEFORE + "' must be"
                        + " <passes>:<position>, got '" + before + "'", e);
            }
        }
    }

    /** A personalization as a state value: {@code <name>:<version>:<values, comma-separated>}. */
    private static String encode(LocalTerm term) {
        return term.name() + ":" + term.version() + ":" + String.join(",",
                term.values().stream().map(d -> Double.toString(d)).toList());
    }

    private static LocalTerm decode(String key, String text) {
        String[] parts = text.split(":", -1);
        try {
            List<Double> v = parts[2].isEmpty() ? List.of()
                    : java.util.Arrays.stream(parts[2].split(",")).map(Double::valueOf).toList();
            if (parts[0].equals(LocalTerm.Ditto.NAME) && Integer.parseInt(parts[1]) == LocalTerm.Ditto.VERSION) {
                return new LocalTerm.Ditto(v.getFirst());
            }
            if (parts[0].equals(LocalTerm.PersonalLayers.NAME)
                    && Integer.parseInt(parts[1]) == LocalTerm.PersonalLayers.VERSION) {
                return new LocalTerm.PersonalLayers(v.stream().map(d -> (int) (double) d).toList());
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("training state value '" + key + "' must be a personalization"
                    + " <name>:<version>:<values>, got '" + text + "'", e);
        }
        throw new IllegalArgumentException("training state value '" + key + "' names personalization '" + text
                + "', which this site does not keep (it keeps " + LocalTerm.Ditto.NAME + " and "
                + LocalTerm.PersonalLayers.NAME + ", version 1)");
    }
}
