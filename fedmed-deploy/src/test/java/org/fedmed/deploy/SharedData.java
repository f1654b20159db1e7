package org.fedmed.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import org.fedmed.data.registry.ChecksumMismatchException;
import org.fedmed.data.registry.DataFile;
import org.fedmed.data.registry.DatasetEntry;
import org.fedmed.data.registry.DatasetNotFoundException;
import org.fedmed.data.registry.DatasetRegistry;

/**
 * The shared real datasets a test needs. A test that needs one fails, never skips, when it is missing, saying
 * which dataset and where to put it, so CI stays red while the data are gone. (Each module that needs the data has
 * this helper; there is no shared test-fixtures artifact.)
 */
public final class SharedData {

    private SharedData() {
    }

    /**
     * A registry searching only {@code $FEDMED_DATA}, in which built-in dataset {@code dataset} is present with
     * every file and checksum it registers; otherwise (the variable unset, a file missing or corrupt) the test fails.
     */
    public static DatasetRegistry require(String dataset) {
        DatasetEntry entry = new DatasetRegistry(List.of()).entry(dataset);
        String need = "needs dataset " + entry.name() + " in FEDMED_DATA (set FEDMED_DATA to the folder holding "
                + entry.name() + "/" + String.join(", " + entry.name() + "/",
                entry.files().stream().map(DataFile::name).toList()) + ")";
        String env = System.getenv(DatasetRegistry.ENV);
        if (env == null || env.isBlank()) {
            return fail(need + ": FEDMED_DATA is not set");
        }
        DatasetRegistry registry = new DatasetRegistry(List.of(Path.of(env)));
        try {
            registry.resolve(dataset);
        } catch (DatasetNotFoundException | ChecksumMismatchException e) {
            return fail(need + ": " + e.getMessage());
        }
        return registry;
    }
}
