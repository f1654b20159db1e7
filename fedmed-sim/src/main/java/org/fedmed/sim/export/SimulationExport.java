package org.fedmed.sim.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.data.federated.FederatedDataset;
import org.fedmed.data.federated.SiteData;
import org.fedmed.data.prep.PreprocessingJson;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.server.checkpoint.AtomicFiles;
import org.fedmed.server.checkpoint.CheckpointMetadata;
import org.fedmed.server.checkpoint.SafetensorsWriter;
import org.fedmed.server.export.ModelExporter;
import org.fedmed.plan.PlanSettings;
import org.fedmed.plan.ConfigLoader;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.sim.SimulationData;
import org.fedmed.sim.Version;
import org.fedmed.sim.report.ComparisonReport;

/**
 * Writes the federated model of a simulation as safetensors, with a provenance sidecar beside it
 * ({@link ModelExporter#provenancePath}) that is enough to apply the model to a new raw row: the model spec and
 * number of classes, the input columns in order ({@code inputs}), and the preprocessing with its fitted numbers
 * ({@code preprocessing}, see {@link PreprocessingJson}): the shared ones under federated statistics, each site's
 * under per-site statistics. It also records the config, the seed, the dataset and the SHA-256 of its files, and
 * the SHA-256 of the model file. Both files are written atomically.
 */
public final class SimulationExport {

    /** The model file a simulate report folder holds when the federated regime ran. */
    public static final String MODEL_FILE = "federated_model.safetensors";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SimulationExport() {
    }

    /**
     * Writes the report's final federated model to {@code out} and its provenance beside it; returns the model
     * file's SHA-256.
     *
     * @throws IllegalArgumentException the report has no federated model, or the data carry no preprocessors
     */
    public static String write(ComparisonReport report, FederatedDataset data, SimulationConfig config, Path out)
            throws IOException {
        if (report.federated() == null || report.federated().finalModel() == null) {
            throw new IllegalArgumentException("the simulation ran no federated regime; there is no model to export");
        }
        Map<String, Preprocessor> bySite = new LinkedHashMap<>();
        for (SiteData s : data.sites()) {
            bySite.put(s.siteId(), s.preprocessor().orElseThrow(() -> new IllegalArgumentException("site '"
                    + s.siteId() + "' carries no preprocessor; the model cannot be exported with its preprocessing")));
        }
        ModelParameters params = report.federated().finalModel();
        var spec = PlanSettings.modelSpec(config);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointMetadata.MODEL_SPEC, spec.toJson());
        meta.put(CheckpointMetadata.VERSION, Version.current());
        meta.put(ModelExporter.SEED, Long.toString(config.seed()));
        String sha = SafetensorsWriter.write(out, params, meta);

        ObjectNode p = JSON.createObjectNode();
        p.put("fedmed_version", Version.current());
        ObjectNode sim = p.putObject("simulation");
        sim.put("dataset", data.name());
        sim.put("seed", config.seed());
        sim.put("regime", "federated");
        sim.put("rounds_run", report.federated().roundsRun());
        sim.put("stop_reason", report.federated().stopReason());
        sim.set("config", ConfigLoader.jsonWriter().valueToTree(ConfigLoader.toMap(config)));
        sim.set("checksums", JSON.valueToTree(data.checksums()));
        ObjectNode model = p.putObject("model");
        model.put("file", out.getFileName().toString());
        model.put("sha256", sha);
        model.set("spec", JSON.readTree(spec.toJson()));
        model.put("classes", data.classes());
        model.put("parameters", params.size());
        ArrayNode tensors = model.putArray("tensors");
        params.layout().entries().forEach(e -> {
            ObjectNode t = tensors.addObject();
            t.put("name", e.name());
            ArrayNode shape = t.putArray("shape");
            for (int d : e.shape()) {
                shape.add(d);
            }
        });
        ArrayNode inputs = p.putArray("inputs");
        data.featureNames().forEach(inputs::add);
        p.set("preprocessing", PreprocessingJson.section(SimulationData.preprocessing(config), bySite));
        AtomicFiles.writeString(ModelExporter.provenancePath(out), JSON.writeValueAsString(p));
        return sha;
    }
}
