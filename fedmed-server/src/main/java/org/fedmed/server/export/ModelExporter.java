package org.fedmed.server.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.FedmedVersion;
import org.fedmed.server.checkpoint.AtomicFiles;
import org.fedmed.server.checkpoint.CheckpointMetadata;
import org.fedmed.server.checkpoint.CheckpointRef;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.checkpoint.SafetensorsWriter;
import org.fedmed.server.store.RunInfo;
import org.fedmed.server.store.RunStore;

/**
 * Exports the final model of a run, the global model after its last recorded round, as a safetensors file with a
 * JSON provenance sidecar beside it: the run's name, config and seed, the fedmed version, the model spec and its
 * input columns in order ({@code inputs}, for runs that recorded them), every round's sites and metrics, and the
 * SHA-256 of the checkpoint it came from and of the exported file. The checkpoint is verified
 * against the run store before anything is written; both files are written atomically.
 */
public final class ModelExporter {

    /** Metadata key naming the run in an exported model. */
    public static final String RUN_NAME = "fedmed.run_name";
    /** Metadata key holding the run's seed in an exported model. */
    public static final String SEED = "fedmed.seed";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelExporter() {
    }

    /**
     * Writes the final model of run {@code runId} to {@code out} and its provenance to the sidecar
     * {@link #provenancePath(Path)}, and records the export (path and SHA-256) in the store, so the dashboard
     * offers it for download.
     *
     * @throws IllegalArgumentException the run does not exist or recorded no round
     * @throws IOException              the checkpoint is missing, corrupt or does not match the store, or a file
     *                                  cannot be written
     */
    public static ExportedModel export(RunStore store, long runId, Path out) throws IOException {
        RunInfo run = store.run(runId).orElseThrow(() -> new IllegalArgumentException(
                "no run with id " + runId + " in " + store.database()));
        OptionalInt last = store.lastRecordedRound(runId);
        if (last.isEmpty()) {
            throw new IllegalArgumentException("run " + runId + " ('" + run.name() + "') has no recorded round;"
                    + " there is no model to export");
        }
        int round = last.getAsInt();
        CheckpointRef ref = store.checkpoint(runId, round).orElseThrow(() -> new IllegalArgumentException(
                "run " + runId + " ('" + run.name() + "') recorded round " + round + " without a checkpoint;"
                        + " there is no model file to export"));
        SafetensorsFile checkpoint = SafetensorsReader.readVerified(ref.path(), ref.sha256());

        Map<String, String> meta = new LinkedHashMap<>(checkpoint.metadata());
        meta.put(CheckpointMetadata.RUN_ID, Long.toString(runId));
        meta.put(CheckpointMetadata.ROUND, Integer.toString(round));
        meta.put(CheckpointMetadata.VERSION, FedmedVersion.current());
        meta.put(RUN_NAME, run.name());
        meta.put(SEED, Long.toString(run.seed()));
        String sha = SafetensorsWriter.write(out, checkpoint.parameters(), meta);

        Path sidecar = provenancePath(out);
        ObjectNode provenance = provenance(run, round, ref, out, sha, store.rounds(runId), checkpoint);
        AtomicFiles.writeString(sidecar, JSON.writeValueAsString(provenance));
        store.recordExport(runId, round, out, sha);
        return new ExportedModel(out, sha, sidecar, runId, round);
    }

    /** The sidecar of a model file: {@code model.safetensors} gets {@code model.provenance.json}. */
    public static Path provenancePath(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".safetensors") ? name.substring(0, name.length() - ".safetensors".length()) : name;
        return model.resolveSibling(stem + ".provenance.json");
    }

    private static ObjectNode provenance(RunInfo run, int round, CheckpointRef ref, Path out, String sha,
                                         List<RoundRecord> rounds, SafetensorsFile checkpoint) throws IOException {
        ObjectNode p = JSON.createObjectNode();
        p.put("fedmed_version", FedmedVersion.current());
        ObjectNode r = p.putObject("run");
        r.put("id", run.id());
        r.put("name", run.name());
        r.put("created", run.created().toString());
        r.put("status", run.status().dbValue());
        r.put("stop_reason", run.stopReason().orElse(null));
        r.put("seed", run.seed());
        JsonNode config = JSON.readTree(run.configJson());
        r.set("config", config);
        ObjectNode model = p.putObject("model");
        model.put("file", out.getFileName().toString());
        model.put("sha256", sha);
        model.put("round", round);
        model.put("parameters", checkpoint.parameters().size());
        String spec = checkpoint.metadata().get(CheckpointMetadata.MODEL_SPEC);
        if (spec != null) {
            model.set("spec", JSON.readTree(spec));
        }
        ArrayNode tensors = model.putArray("tensors");
        checkpoint.parameters().layout().entries().forEach(e -> {
            ObjectNode t = tensors.addObject();
            t.put("name", e.name());
            ArrayNode shape = t.putArray("shape");
            for (int d : e.shape()) {
                shape.add(d);
            }
        });
        ObjectNode source = model.putObject("checkpoint");
        source.put("path", ref.path().toString());
        source.put("sha256", ref.sha256());
        if (config.has("inputs")) {
            p.set("inputs", config.get("inputs"));
            p.put("preprocessing_note", "each site standardized with its own statistics, which the server never sees;"
                    + " a site's are in the -preprocessing.json file it wrote beside its audit log"
                    + " (fedmed predict --preprocessing FILE)");
        }
        ArrayNode rs = p.putArray("rounds");
        for (RoundRecord rec : rounds) {
            ObjectNode o = rs.addObject();
            o.put("round", rec.round());
            o.put("completed", rec.completed());
            o.set("selected", JSON.valueToTree(rec.selected()));
            o.set("succeeded", JSON.valueToTree(rec.succeeded()));
            ArrayNode failures = o.putArray("failures");
            for (SiteFailure f : rec.failures()) {
                ObjectNode fo = failures.addObject();
                fo.put("site", f.siteId());
                fo.put("kind", f.kind().name().toLowerCase(Locale.ROOT));
                fo.put("reason", f.reason());
            }
            o.set("fit_metrics", JSON.valueToTree(new TreeMap<>(rec.fitMetrics())));
            o.set("eval_metrics", JSON.valueToTree(new TreeMap<>(rec.evalMetrics())));
        }
        for (RoundRecord rec : rounds.reversed()) {
            if (!rec.evalMetrics().isEmpty()) {
                ObjectNode fin = p.putObject("final_evaluation");
                fin.put("round", rec.round());
                fin.set("federated", JSON.valueToTree(new TreeMap<>(rec.evalMetrics())));
                fin.set("sites", JSON.valueToTree(new TreeMap<>(rec.siteEvalMetrics())));
                break;
            }
        }
        return p;
    }
}
