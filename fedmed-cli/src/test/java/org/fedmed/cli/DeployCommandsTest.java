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
    void serverRefusesASiteCountAboveTheKitsAtOnceWithStatus2(@TempDir Path tmp) throws Exception {
        new org.fedmed.pki.Provisioner().provision(org.fedmed.pki.FederationSpec.of("heart",
                new org.fedmed.pki.ServerAddress("127.0.0.1", 7443), java.util.List.of("a", "b", "c", "d")),
                tmp.resolve("fed"), false);
        Path cfg = tmp.resolve("server.yaml");
        Files.writeString(cfg, "kit: fed/server\nrun: r\ntraining: {dataset: heart-disease, min_fit_sites: 9}\n");
        var r = run("server", "--config", cfg.toString());
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("key 'training.min_fit_sites' is 9, but the server kit")
                && r.err().contains("provisions 4 sites [a, b, c, d]"), r.err());
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

    @Test
    void runsListsTheStoredRunsAndPrintsARunsAuditLog(@TempDir Path tmp) {
        Path db = tmp.resolve("runs.db");
        try (var store = org.fedmed.server.store.RunStore.open(db)) {
            long id = store.createRun("heart", "{}", 42);
            store.audit(id, "cleveland", org.fedmed.server.store.AuditEvent.JOINED, "from /127.0.0.1:5000");
            store.audit(id, "mallory", org.fedmed.server.store.AuditEvent.ADMISSION_REFUSED, "was revoked");
            store.audit(id, "CN=hungary,OU=site,O=heart", org.fedmed.server.store.AuditEvent.JOINED, "from a proxy");
        }
        var list = run("runs", "--store", db.toString());
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().lines().anyMatch(l -> l.startsWith("1 ") && l.contains("heart") && l.contains("running")),
                list.out());
        var audit = run("runs", "--store", db.toString(), "--audit", "heart");
        assertEquals(0, audit.exit(), audit.err());
        assertTrue(audit.out().contains("cleveland") && audit.out().contains("joined"), audit.out());
        assertTrue(audit.out().contains("mallory") && audit.out().contains("admission_refused")
                && audit.out().contains("was revoked"), audit.out());
        java.util.List<Integer> eventColumns = audit.out().lines().filter(l -> !l.isBlank())
                .map(l -> java.util.stream.Stream.of(" run_created ", " joined ", " admission_refused ")
                        .mapToInt(l::indexOf).max().orElseThrow())
                .distinct().toList();
        assertEquals(1, eventColumns.size(), "the event column lines up under a long actor: " + audit.out());
        var missing = run("runs", "--store", db.toString(), "--audit", "lung");
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("no run named 'lung'"), missing.err());
    }
}
