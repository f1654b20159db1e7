package org.fedmed.deploy.site;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.ModelParameters;
import org.fedmed.ml.ModelSpec;
import org.fedmed.server.FedmedVersion;
import org.fedmed.server.checkpoint.AtomicFiles;
import org.fedmed.server.checkpoint.CheckpointMetadata;
import org.fedmed.server.checkpoint.SafetensorsWriter;
import org.fedmed.server.export.ModelExporter;

/**
 * A site's personal model at the end of a run, written beside its audit log ({@code audit.jsonl} has
 * {@code audit-personal.safetensors}) with a provenance sidecar ({@code audit-personal.provenance.json}): what a
 * FedPer, Ditto or fine-tuning run leaves at each site, and what never left it. The model is FedPer's final global
 * body with the site's own personal layers, Ditto's personal model, or the final global model fine-tuned on the
 * site's training rows; the sidecar names the site, the personalization (its wire
 * term and, for FedPer, the personal tensors by name), the model spec and classes, the round of the global model the
 * site last evaluated, the file's SHA-256, the model inputs in order, the site's preprocessing file and the personal
 * model's metrics on the site's test rows. It is the sidecar {@code fedmed predict} reads, so
 * {@code fedmed predict --model audit-personal.safetensors --preprocessing audit-preprocessing.json --csv rows.csv}
 * scores new rows of this site with its personal model. Both files are written atomically; a later run's model
 * replaces them.
 */
public final class SitePersonalModelFile {

    /** Metadata key of the site id in the safetensors header. */
    public static final String SITE = "fedmed.site";
    /** Metadata key of the personalization term in the safetensors header, e.g. "personal_layers v1 [2.0, 3.0]". */
    public static final String PERSONALIZATION = "fedmed.personalization";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SitePersonalModelFile() {
    }

    /** The personal model file beside {@code auditLog}. */
    public static Path beside(Path auditLog) {
        String name = auditLog.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return auditLog.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "-personal.safetensors");
    }

    /**
     * What the file records about one site's personal model: kept by the fits' {@code personalization} term
     * (FedPer, Ditto), or trained after the last round with the {@code fineTune} settings (personalization
     * {@code kind: finetune}); exactly one of the two is set.
     */
    public record Contents(String siteId, ModelSpec spec, int classes, LocalTerm personalization, int globalRound,
                           ModelParameters parameters, java.util.List<String> inputs, Path preprocessing,
                           Map<String, Double> testMetrics, String runEnded, org.fedmed.core.FitConfig fineTune) {
        public Contents {
            if (siteId == null || spec == null || (personalization == null) == (fineTune == null)
                    || parameters == null || inputs == null || testMetrics == null || runEnded == null) {
                throw new IllegalArgumentException("a personal model file needs its site, spec, personalization (a"
                        + " local term or fine-tuning settings, one of them), parameters, inputs, test metrics and"
                        + " how the run ended");
            }
            inputs = java.util.List.copyOf(inputs);
            testMetrics = Map.copyOf(testMetrics);
        }

        /** A personal model kept by the fits' personalization term. */
        public Contents(String siteId, ModelSpec spec, int classes, LocalTerm personalization, int globalRound,
                        ModelParameters parameters, java.util.List<String> inputs, Path preprocessing,
                        Map<String, Double> testMetrics, String runEnded) {
            this(siteId, spec, classes, personalization, globalRound, parameters, inputs, preprocessing, testMetrics,
                    runEnded, null);
        }

        /** For the header: the term as "ditto v1 [0.5]", or "finetune 8 local epochs, batch 16, lr 0.05, seed ...". */
        String describe() {
            return personalization != null ? personalization.describe() : String.format(java.util.Locale.ROOT,
                    "%s %s, batch %d, lr %s, seed %d", FINETUNE, fineTune.work().describe(), fineTune.batchSize(),
                    fineTune.learningRate(), fineTune.seed());
        }
    }

    /** The personalization name of a fine-tuned personal model, in the header and the sidecar. */
    public static final String FINETUNE = "finetune";

    /** Writes {@code c} to {@code file} and its sidecar, atomically; returns the model file's SHA-256. */
    public static String write(Contents c, Path file) throws IOException {
        Map<String, String> meta = new TreeMap<>();
        meta.put(SITE, c.siteId());
        meta.put(PERSONALIZATION, c.describe());
        meta.put(CheckpointMetadata.ROUND, Integer.toString(c.globalRound()));
        meta.put(CheckpointMetadata.MODEL_SPEC, c.spec().toJson());
        meta.put(CheckpointMetadata.VERSION, FedmedVersion.current());
        String sha = SafetensorsWriter.write(file, c.parameters(), meta);

        ObjectNode p = JSON.createObjectNode();
        p.put("fedmed_version", FedmedVersion.current());
        p.put("site", c.siteId());
        p.put("run_ended", c.runEnded());
        ObjectNode personal = p.putObject("personalization");
        if (c.fineTune() != null) {
            personal.put("term", FINETUNE);
            ObjectNode tune = personal.putObject("fine_tune");
            tune.put("local_work", c.fineTune().work().describe());
            tune.put("batch_size", c.fineTune().batchSize());
            tune.put("lr", c.fineTune().learningRate());
            tune.put("seed", c.fineTune().seed());
        } else {
            personal.put("term", c.personalization().name());
            personal.put("version", c.personalization().version());
            personal.set("values", JSON.valueToTree(c.personalization().values()));
        }
        if (c.personalization() instanceof LocalTerm.PersonalLayers layers) {
            ArrayNode names = personal.putArray("personal_tensors");
            layers.tensors().forEach(i -> names.add(c.parameters().layout().entries().get(i).name()));
        }
        ObjectNode model = p.putObject("model");
        model.put("file", file.getFileName().toString());
        model.put("sha256", sha);
        model.put("global_round", c.globalRound());
        model.put("parameters", c.parameters().size());
        model.put("classes", c.classes());
        model.set("spec", JSON.readTree(c.spec().toJson()));
        ArrayNode tensors = model.putArray("tensors");
        c.parameters().layout().entries().forEach(e -> {
            ObjectNode t = tensors.addObject();
            t.put("name", e.name());
            ArrayNode shape = t.putArray("shape");
            for (int d : e.shape()) {
                shape.add(d);
            }
        });
        p.set("inputs", JSON.valueToTree(c.inputs()));
        if (c.preprocessing() != null) {
            p.put("preprocessing_file", c.preprocessing().getFileName().toString());
        }
        p.set("test_metrics", JSON.valueToTree(new TreeMap<>(c.testMetrics())));
        AtomicFiles.writeString(ModelExporter.provenancePath(file), JSON.writeValueAsString(p));
        return sha;
    }
}
