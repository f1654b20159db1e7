package org.fedmed.server.export;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.Tensor;
import org.fedmed.core.engine.RoundRecord;
import org.fedmed.core.engine.SiteFailure;
import org.fedmed.server.FedmedVersion;
import org.fedmed.server.checkpoint.CheckpointDirectory;
import org.fedmed.server.checkpoint.CheckpointMetadata;
import org.fedmed.server.checkpoint.ChecksumMismatchException;
import org.fedmed.server.checkpoint.SafetensorsFile;
import org.fedmed.server.checkpoint.SafetensorsReader;
import org.fedmed.server.store.RunStatus;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelExporterTest {

    @TempDir
    Path dir;

    static ModelParameters model(int round) {
        return ModelParameters.of(List.of(new Tensor("fc.weight", new int[]{2, 2}, new float[]{round, -round, 0.5f, 1}),
                new Tensor("fc.bias", new int[]{2}, new float[]{0.1f * round, 0})));
    }

    static RoundRecord record(int round, boolean evaluated) {
        return new RoundRecord(round, List.of("a", "b"), List.of("a"),
                List.of(new SiteFailure(round, "b", SiteFailure.Kind.REJECTED, "update is not finite")), true,
                Map.of("loss", 1.0 / round), evaluated ? Map.of("accuracy", 0.6 + 0.1 * round) : Map.of(),
                evaluated ? Map.of("a", Map.of("accuracy", 0.7)) : Map.of(), 10);
    }

    /** A run of {@code rounds} rounds, every one checkpointed, the last not evaluated. */
    long storedRun(RunStore store, int rounds) throws IOException {
        long id = store.createRun("heart", "{\"rounds\":" + rounds + ",\"lr\":0.1}", 77);
        CheckpointDirectory ckpts = CheckpointDirectory.forRun(dir.resolve("ckpt"), id, 0);
        for (int r = 1; r <= rounds; r++) {
            store.recordRound(id, record(r, r < rounds), ckpts.write(id, r, model(r), "{\"type\":\"mlp\"}"));
        }
        store.finishRun(id, RunStatus.COMPLETED, "round_budget");
        return id;
    }

    @Test
    void finalModelIsExportedWithMetadataAndAProvenanceSidecar() throws Exception {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = storedRun(store, 3);
            Path out = dir.resolve("export").resolve("heart-final.safetensors");
            ExportedModel exported = ModelExporter.export(store, id, out);

            assertEquals(3, exported.round());
            assertEquals(dir.resolve("export").resolve("heart-final.provenance.json"), exported.provenance());
            SafetensorsFile f = SafetensorsReader.readVerified(out, exported.sha256());
            assertEquals(model(3), f.parameters());
            assertEquals("heart", f.metadata().get(ModelExporter.RUN_NAME));
            assertEquals("77", f.metadata().get(ModelExporter.SEED));
            assertEquals("3", f.metadata().get(CheckpointMetadata.ROUND));
            assertEquals("{\"type\":\"mlp\"}", f.metadata().get(CheckpointMetadata.MODEL_SPEC));

            JsonNode p = new ObjectMapper().readTree(exported.provenance().toFile());
            assertEquals(FedmedVersion.current(), p.get("fedmed_version").asText());
            assertEquals(77, p.at("/run/seed").asLong());
            assertEquals(0.1, p.at("/run/config/lr").asDouble());
            assertEquals("completed", p.at("/run/status").asText());
            assertEquals(exported.sha256(), p.at("/model/sha256").asText());
            assertEquals(store.checkpoint(id, 3).orElseThrow().sha256(), p.at("/model/checkpoint/sha256").asText());
            assertEquals(6, p.at("/model/parameters").asInt());
            assertEquals(3, p.get("rounds").size());
            assertEquals("rejected", p.at("/rounds/1/failures/0/kind").asText());
            assertEquals(2, p.at("/final_evaluation/round").asInt(), "the last round that was evaluated");
            assertEquals(0.8, p.at("/final_evaluation/federated/accuracy").asDouble(), 1e-12);
        }
    }

    @Test
    void corruptCheckpointIsNotExported() throws Exception {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = storedRun(store, 2);
            Path ckpt = store.checkpoint(id, 2).orElseThrow().path();
            byte[] b = Files.readAllBytes(ckpt);
            b[b.length - 1] ^= 0x01;
            Files.write(ckpt, b);
            Path out = dir.resolve("out.safetensors");
            var e = assertThrows(ChecksumMismatchException.class, () -> ModelExporter.export(store, id, out));
            assertTrue(e.getMessage().contains(ckpt.toString()), e.getMessage());
            assertFalse(Files.exists(out));
        }
    }

    @Test
    void runWithoutRoundsHasNothingToExport() {
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long id = store.createRun("empty", "{}", 1);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> ModelExporter.export(store, id, dir.resolve("x.safetensors")));
            assertTrue(e.getMessage().contains("no recorded round"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ModelExporter.export(store, 404, dir.resolve("y")));
        }
    }
}
