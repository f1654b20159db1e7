package org.fedmed.data.prep;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.core.LabeledData;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;

/**
 * A fitted preprocessing step that turns a {@link RawTable} into {@link LabeledData}. Output columns are,
 * in schema order, each numeric feature (imputed, optionally standardized) or each categorical feature's
 * one-hot block ({@code <col>=<level>}, all zeros when missing), followed by the {@code <col>_missing}
 * indicators. Under {@link MissingPolicy#DROP} rows lacking any value are dropped. Two preprocessors fit
 * for the same federation always produce the same columns, whatever their statistics.
 */
public record Preprocessor(DatasetSchema schema, MissingPolicy policy, List<ColumnTransform> columns) {

    public Preprocessor {
        if (schema == null || policy == null || columns == null) {
            throw new IllegalArgumentException("preprocessor fields 'schema', 'policy' and 'columns' are required");
        }
        columns = List.copyOf(columns);
        if (columns.size() != schema.features().size()) {
            throw new IllegalArgumentException("preprocessor field 'columns' has " + columns.size()
                    + " transforms for " + schema.features().size() + " features");
        }
    }

    /** Names of the output columns, in order. */
    public List<String> featureNames() {
        List<String> names = new ArrayList<>();
        for (FeatureSpec f : schema.features()) {
            if (f.categorical()) {
                for (String level : f.levels()) {
                    names.add(f.name() + "=" + level);
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
        float[] labels = new float[in.rows()];
        List<FeatureSpec> features = schema.features();
        for (int r = 0; r < in.rows(); r++) {
            double[] row = in.values()[r];
            int base = r * cols;
            int c = 0;
            for (int f = 0; f < features.size(); f++) {
                FeatureSpec spec = features.get(f);
                double v = row[f];
                if (spec.categorical()) {
                    if (!Double.isNaN(v)) {
                        out[base + c + (int) v] = 1f;
                    }
                    c += spec.levels().size();
                } else {
                    ColumnTransform t = columns.get(f);
                    double x = Double.isNaN(v) ? t.fill() : v;
                    if (Double.isNaN(x)) {
                        throw new IllegalStateException("table " + in.source() + " row " + r + ": feature '" + spec.name()
                                + "' is missing and no imputation value was fitted");
                    }
                    out[base + c++] = (float) ((x - t.center()) / t.scale());
                }
            }
            for (int f = 0; f < features.size(); f++) {
                if (columns.get(f).indicator()) {
                    out[base + c++] = Double.isNaN(row[f]) ? 1f : 0f;
                }
            }
            labels[r] = (float) in.labels()[r];
        }
        return new LabeledData(out, labels, in.rows(), cols, schema.classes(), names);
    }
}
