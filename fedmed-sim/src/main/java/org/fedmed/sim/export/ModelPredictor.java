package org.fedmed.sim.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fedmed.core.LabeledData;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.csv.FeatureRows;
import org.fedmed.data.prep.PreprocessingJson;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.ml.Model;
import org.fedmed.ml.ModelSpec;
import org.fedmed.ml.Models;
import org.fedmed.server.checkpoint.AtomicFiles;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.export.ModelExporter;

/**
 * An exported model ready to apply to new raw rows, as {@code fedmed predict} does: the model file (checked against
 * the SHA-256 its provenance records), the model rebuilt from the spec in the provenance, and the stored
 * preprocessing. A row is read in the dataset's own column format (the raw feature columns by name; other columns
 * are kept as they are), encoded exactly as the training rows were (a missing value imputed as the preprocessing
 * says, an unknown categorical level refused), and scored. Predictions are bit-identical to the model applied to
 * the encoded vector.
 */
public final class ModelPredictor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Model model;
    private final float[] params;
    private final Preprocessor preprocessor;

    private ModelPredictor(Model model, float[] params, Preprocessor preprocessor) {
        this.model = model;
        this.params = params;
        this.preprocessor = preprocessor;
    }

    /**
     * Loads {@code modelFile} and its provenance sidecar. {@code site} names the site whose preprocessing to apply
     * when every site had its own statistics; it is not needed (and ignored) when they were shared.
     *
     * @throws IllegalArgumentException the sidecar is missing, names no preprocessing, or names no such site
     * @throws IOException              the model file is missing, corrupt, or not the one the sidecar describes
     */
    public static ModelPredictor load(Path modelFile, Optional<String> site) throws IOException {
        return load(modelFile, site, Optional.empty());
    }

    /**
     * As {@link #load(Path, Optional)}, with the preprocessing read from {@code preprocessingFile} when given (a
     * deployed site's {@code -preprocessing.json}) instead of from the provenance; its inputs must be the ones the
     * provenance names.
     */
    public static ModelPredictor load(Path modelFile, Optional<String> site, Optional<Path> preprocessingFile)
            throws IOException {
        Path sidecar = ModelExporter.provenancePath(modelFile);
        if (!Files.isRegularFile(sidecar)) {
            throw new IllegalArgumentException("model " + modelFile + " has no provenance file " + sidecar
                    + " beside it; it names the inputs and the model spec");
        }
        JsonNode provenance = JSON.readTree(sidecar.toFile());
        Path sectionSource = preprocessingFile.orElse(sidecar);
        JsonNode section = preprocessingFile.isPresent() ? JSON.readTree(preprocessingFile.get().toFile())
                : provenance.get("preprocessing");
        if (section == null || section.isNull()) {
            throw new IllegalArgumentException(sidecar + " records no preprocessing; for a deployment's model pass"
                    + " --preprocessing with the -preprocessing.json file a site wrote beside its audit log");
        }
        if (!provenance.path("model").has("spec")) {
            throw new IllegalArgumentException(sidecar + " records no model spec (model.spec)");
        }
        String sha = provenance.path("model").path("sha256").asText("");
        SafetensorsFile file = sha.isEmpty() ? SafetensorsReader.read(modelFile)
                : SafetensorsReader.readVerified(modelFile, sha);
        ModelSpec spec = ModelSpec.parse(provenance.path("model").path("spec").toString());
        Preprocessor preprocessor;
        try {
            preprocessor = PreprocessingJson.read(section, site);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(sectionSource + ": " + e.getMessage(), e);
        }
        if (provenance.has("inputs")) {
            List<String> named = new ArrayList<>();
            provenance.get("inputs").forEach(n -> named.add(n.asText()));
            if (!named.equals(preprocessor.featureNames())) {
                throw new IllegalArgumentException("the preprocessing in " + sectionSource + " makes the inputs "
                        + preprocessor.featureNames() + ", but the model in " + modelFile + " takes " + named);
            }
        }
        int classes = provenance.path("model").path("classes").asInt(preprocessor.schema().classes());
        // a Cox model scores rows by their log relative risk; every other model by its objective's output
        Model model = Models.build(spec, preprocessor.featureNames().size(), Models.objective(spec,
                spec instanceof org.fedmed.ml.survival.CoxSpec ? org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT
                        : classes == 0 ? org.fedmed.core.objective.LabelLayout.TARGET
                        : org.fedmed.core.objective.LabelLayout.CLASS_INDEX, classes));
        if (model.parameterCount() != file.parameters().size()) {
            throw new IllegalArgumentException("model " + modelFile + " holds " + file.parameters().size()
                    + " parameters, but its spec with " + preprocessor.featureNames().size() + " inputs needs "
                    + model.parameterCount());
        }
        return new ModelPredictor(model, file.parameters().copyFlat(), preprocessor);
    }

    /** The preprocessing this predictor applies. */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** The model inputs, in order. */
    public List<String> inputs() {
        return preprocessor.featureNames();
    }

    /**
     * The encoded input vectors of the rows, row-major, {@link #inputs()}{@code .size()} per row.
     *
     * @throws DataFormatException naming the source, line and column of a numeric value that is missing where the
     *                             preprocessing imputes nothing (missing: drop)
     */
    public float[] encode(FeatureRows rows, String source) {
        int width = inputs().size();
        float[] x = new float[rows.rows() * width];
        for (int r = 0; r < rows.rows(); r++) {
            try {
                preprocessor.encode(rows.values()[r], x, r * width, source + " line " + rows.lines()[r]);
            } catch (IllegalStateException e) {
                throw new DataFormatException(e.getMessage() + "; the model was trained on complete rows only", e);
            }
        }
        return x;
    }

    /**
     * The model's output for the rows: P(class 1) per row for binary, {@code rows * classes} probabilities for
     * multi-class, the predicted value for regression.
     */
    public float[] predict(FeatureRows rows, String source) {
        float[] x = encode(rows, source);
        LabeledData data = new LabeledData(x, new float[rows.rows()], rows.rows(), inputs().size(), model.classes(),
                inputs());
        return model.predict(params, data);
    }

    /** The model's output for encoded input vectors, as {@link #predict(FeatureRows, String)} gives it. */
    public float[] predictEncoded(float[] x, int rows) {
        return model.predict(params, new LabeledData(x, new float[rows], rows, inputs().size(), model.classes(), inputs()));
    }

    /**
     * Reads {@code csv}, scores every row and writes {@code out}: the input's columns as they were, then
     * {@code probability} (P(class 1)) and {@code prediction} (the class index at threshold 0.5) for a binary
     * model, {@code p_<class>} per class and {@code prediction} (the most probable) for a multi-class one, or
     * {@code prediction} for regression (for a Cox model: the row's log relative risk beta^T x, higher meaning
     * shorter expected survival). Returns the number of rows written.
     */
    public int predictCsv(Path csv, Path out) throws IOException {
        String source = csv.getFileName().toString();
        FeatureRows rows = FeatureRows.read(csv, preprocessor.schema().features());
        float[] y = predict(rows, source);
        int classes = model.classes();
        List<String> added = new ArrayList<>();
        if (classes == 2) {
            added.add("probability");
        } else if (classes > 2) {
            for (int c = 0; c < classes; c++) {
                added.add("p_" + c);
            }
        }
        added.add("prediction");
        for (String name : added) {
            if (rows.header().contains(name)) {
                throw new DataFormatException(source + " line 1: column '" + name + "' would be overwritten by the"
                        + " predictions; rename it");
            }
        }
        StringBuilder sb = new StringBuilder();
        List<String> header = new ArrayList<>(rows.header());
        header.addAll(added);
        line(sb, header);
        for (int r = 0; r < rows.rows(); r++) {
            List<String> cells = new ArrayList<>(rows.cells().get(r));
            if (classes == 2) {
                cells.add(format(y[r]));
                cells.add(y[r] >= 0.5f ? "1" : "0");
            } else if (classes > 2) {
                int best = 0;
                for (int c = 0; c < classes; c++) {
                    cells.add(format(y[r * classes + c]));
                    if (y[r * classes + c] > y[r * classes + best]) {
                        best = c;
                    }
                }
                cells.add(Integer.toString(best));
            } else {
                cells.add(format(y[r]));
            }
            line(sb, cells);
        }
        AtomicFiles.writeString(out, sb.toString());
        return rows.rows();
    }

    private static String format(float v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    private static void line(StringBuilder sb, List<String> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String c = cells.get(i);
            if (c.contains(",") || c.contains("\"") || c.contains("\n") || c.contains("\r")) {
                sb.append('"').append(c.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(c);
            }
        }
        sb.append('\n');
    }
}
