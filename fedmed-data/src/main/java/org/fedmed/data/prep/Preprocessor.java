package org.fedmed.data.prep;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.LabeledData;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;

/**
 * A fitted preprocessing step that turns a {@link RawTable} into {@link LabeledData}. Output columns are,
 * in schema order, each numeric feature (clipped, imputed, optionally standardized, see {@link ColumnTransform})
 * or each categorical feature's one-hot block ({@code <col>=<level>}, one per declared level, or one per level but
 * the first under {@link OneHot#DROP_FIRST}; all zeros when missing), followed by the {@code <col>_missing}
 * indicators. Under {@link MissingPolicy#DROP} rows lacking any value are dropped. Two preprocessors fit
 * for the same federation always produce the same columns, whatever their statistics.
 */
public record Preprocessor(DatasetSchema schema, MissingPolicy policy, OneHot oneHot, List<ColumnTransform> columns) {

    public Preprocessor {
        if (schema == null || policy == null || oneHot == null || columns == null) {
            throw new IllegalArgumentException("preprocessor fields 'schema', 'policy', 'oneHot' and 'columns' are required");
        }
        columns = List.copyOf(columns);
        if (columns.size() != schema.features().size()) {
            throw new IllegalArgumentException("preprocessor field 'columns' has " + columns.size()
                    + " transforms for " + schema.features().size() + " features");
        }
    }

    /** A preprocessor with full one-hot encoding. */
    public Preprocessor(DatasetSchema schema, MissingPolicy policy, List<ColumnTransform> columns) {
        this(schema, policy, OneHot.FULL, columns);
    }

    /** Names of the output columns, in order. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (FeatureSpec f : schema.features()) {
            if (f.categorical()) {
                for (int l = oneHot.firstEncodedLevel(); l < f.levels().size(); l++) {
                    names.add(f.name() + "=" + f.levels().get(l));
                }
            } else {
                names.add(f.name());
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).indicator()) {
                names.add(schema.features().get(i).name() + "_missing");
            }
        }
        return names;
    }

    /** The encoded rows of {@code table} (which must use this preprocessor's schema). */
    public LabeledData transform(RawTable table) {
        if (!table.schema().equals(schema)) {
            throw new IllegalArgumentException("table " + table.source() + " was read with a different schema");
        }
        RawTable in = policy == MissingPolicy.DROP ? table.completeRows() : table;
        List<String> names = featureNames();
        int cols = names.size();
        float[] out = new float[in.rows() * cols];
        if (in.survival()) {
            // time, then the event flag (LabelLayout.TIME_AND_EVENT)
            float[] labels = new float[in.rows() * 2];
            for (int r = 0; r < in.rows(); r++) {
                encode(in.values()[r], out, r * cols, in.source() + " row " + r);
                labels[2 * r] = (float) in.labels()[r];
                labels[2 * r + 1] = in.events()[r] ? 1f : 0f;
            }
            return new LabeledData(out, labels, in.rows(), cols, 0, names,
                    org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT);
        }
        float[] labels = new float[in.rows()];
        for (int r = 0; r < in.rows(); r++) {
            encode(in.values()[r], out, r * cols, in.source() + " row " + r);
            labels[r] = (float) in.labels()[r];
        }
        return new LabeledData(out, labels, in.rows(), cols, schema.classes(), names);
    }

    /**
     * Encodes one raw row ({@code raw[feature]} in schema order, NaN where missing, a categorical cell as its level
     * index) into {@code out[offset ..]}, {@link #featureNames()}{@code .size()} values. {@code where} names the row in
     * the error thrown when a numeric value is missing and no fill was fitted (policy DROP).
     */
    public void encode(double[] raw, float[] out, int offset, String where) {
        List<FeatureSpec> features = schema.features();
        int first = oneHot.firstEncodedLevel();
        int c = offset;
        for (int f = 0; f < features.size(); f++) {
            FeatureSpec spec = features.get(f);
            double v = raw[f];
            if (spec.categorical()) {
                int level = (int) v;
                if (!Double.isNaN(v) && level >= first) {
                    out[c + level - first] = 1f;
                }
                c += spec.levels().size() - first;
            } else {
                ColumnTransform t = columns.get(f);
                if (Double.isNaN(v) && Double.isNaN(t.fill())) {
                    throw new IllegalStateException(where + ": feature '" + spec.name()
                            + "' is missing and no imputation value was fitted (missing: " + policy.key() + ")");
                }
                out[c++] = (float) t.apply(v);
            }
        }
        for (int f = 0; f < features.size(); f++) {
            if (columns.get(f).indicator()) {
                out[c++] = Double.isNaN(raw[f]) ? 1f : 0f;
            }
        }
    }
}
