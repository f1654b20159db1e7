package org.fedmed.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fedmed.deploy.server.ServerConfig;
import picocli.CommandLine.Option;

/** Where a command finds a server's run store: a server config (its store and run name) or the store itself. */
final class StoreSource {

    @Option(names = "--config", paramLabel = "FILE", description = "A server config: its run store and run name.")
    Path config;
    @Option(names = "--store", paramLabel = "DB", description = "A run store (SQLite file).")
    Path store;

    private ServerConfig loaded;

    /** The run store file; it must exist, so that nothing creates an empty store by mistake. */
    Path database() {
        Path db = store != null ? store : serverConfig().store();
        if (!Files.isRegularFile(db)) {
            throw new IllegalArgumentException("run store " + db + " does not exist");
        }
        return db;
    }

    /** The run the server config names, if the store was given by a config. */
    Optional<String> configuredRun() {
        return config == null ? Optional.empty() : Optional.of(serverConfig().run());
    }

    private ServerConfig serverConfig() {
        if (loaded == null) {
            loaded = ServerConfig.load(config);
        }
        return loaded;
    }
}
