package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The deployment commands turn bad input into one clear line and exit status 2, before opening any socket. */
class DeployCommandsTest {

    static FedmedCommandTest.Run run(String... args) {
        return FedmedCommandTest.run(args);
    }

    @Test
    void serverWithAMissingConfigNamesTheFile(@TempDir Path tmp) {
        var r = run("server", "--config", tmp.resolve("nope.yaml").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("nope.yaml") && r.err().contains("does not exist"), r.err());
    }

    @Test
    void serverWithAMissingKitNamesTheKitFile(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("server.yaml");
        Files.writeString(cfg, "kit: kits/server\nrun: r\ntraining: {dataset: heart-disease}\n");
        var r = run("server", "--config", cfg.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("server.yaml") && r.err().contains("does not exist"), r.err());
        assertTrue(r.err().lines().count() == 1, "one line, no stack trace: " + r.err());
    }

    @Test
    void serverRefusesAnUnknownFallbackPolicy(@TempDir Path tmp) {
        var r = run("server", "--config", tmp.resolve("s.yaml").toString(), "--resume", "--fallback", "latest");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("--fallback") && r.err().contains("previous-good-round"), r.err());
    }

    @Test
    void siteWithAnUnknownKeyNamesItAndTheKnownKeys(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("site.yaml");
        Files.writeString(cfg, "kit: k\ndata: {dataset: heart-disease}\nallow: {strategies: [fedavg], model_specs: "
                + "[{type: logistic}]}\nauditlog: a.jsonl\n");
        var r = run("site", "--config", cfg.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("unknown key 'auditlog'") && r.err().contains("audit_log"), r.err());
    }

    @Test
    void exportFromAMissingStoreNamesIt(@TempDir Path tmp) {
        var r = run("export", "--store", tmp.resolve("runs.db").toString(), "--run", "x", "--out",
                tmp.resolve("m.safetensors").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("runs.db") && r.err().contains("does not exist"), r.err());
        assertTrue(!Files.exists(tmp.resolve("m.safetensors")), "nothing written");
    }

    @Test
    void exportNeedsARunNameWithAStore(@TempDir Path tmp) {
        var r = run("export", "--store", tmp.resolve("runs.db").toString(), "--out", tmp.resolve("m").toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("'--run' is required"), r.err());
    }
}
