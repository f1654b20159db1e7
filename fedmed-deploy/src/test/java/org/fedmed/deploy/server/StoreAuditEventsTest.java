package org.fedmed.deploy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedmed.server.audit.ChainReport;
import org.fedmed.server.store.AuditEvent;
import org.fedmed.server.store.RunStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Wire events from many threads, written by the background writer beside the round's own entries, form one intact chain. */
class StoreAuditEventsTest {

    @Test
    void concurrentWireEventsAndRoundEntriesFormOneIntactChain(@TempDir Path dir) throws Exception {
        int threads = 4;
        int each = 25;
        try (RunStore store = RunStore.open(dir.resolve("runs.db"))) {
            long run = store.createRun("heart", "{}", 42);
            try (StoreAuditEvents events = new StoreAuditEvents(store);
                 ExecutorService pool = Executors.newFixedThreadPool(threads)) {
                events.attach(run);
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String site = "site-" + t;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < each; i++) {
                            events.taskSent(site, "r" + i + "-fit-" + site, "fit", i + 1, 1024);
                        }
                    }));
                }
                for (int i = 0; i < each; i++) {
                    store.audit(run, "server", AuditEvent.FAILED, "round " + (i + 1) + ": a site timed out");
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            ChainReport r = store.verifyAudit(run);
            assertTrue(r.intact(), r.summary());
            assertEquals(1 + threads * each + each, r.entries(), "run_created, the wire events and the round's");
        }
    }
}
