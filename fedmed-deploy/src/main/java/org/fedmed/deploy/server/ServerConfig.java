package org.fedmed.deploy.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.fedmed.config.ConfigException;
import org.fedmed.plan.SimulationConfig;
import org.fedmed.config.YamlBinder;
import org.fedmed.config.YamlPositions;
import org.fedmed.core.engine.DeliveryOrder;

/**
 * What {@code fedmed server --config server.yaml} runs: which startup kit identifies the server, where it listens,
 * where the run is stored, how long it waits for sites, and the training itself, in the same keys as a simulation
 * config less those that only a simulation uses (see docs/deployment.md). Relative paths are resolved against the
 * config file's folder. Integer keys refuse fractional numbers, naming the key, line and column.
 *
 * @param file           the config file, for error messages
 * @param kit            the server's startup kit folder (from {@code fedmed provision})
 * @param listenHost     the address to bind; 0.0.0.0 by default
 * @param listenPort     the port to bind; the kit's port by default
 * @param run            the run's name in the store; {@code --resume} continues the latest run with this name
 * @param store          the SQLite run store
 * @param checkpoints    the folder of per-round safetensors checkpoints
 * @param keepCheckpoints how many rounds' checkpoints to keep (0 keeps all)
 * @param waitForSites   how many sites must be connected before round 1
 * @param waitTimeout    how long to wait for them
 * @param heartbeatInterval how often the server sends heartbeats
 * @param heartbeatTimeout  a site silent for longer is dropped
 * @param maxUpdateNorm  updates whose L2 distance from the global model is larger are rejected (infinite: off)
 * @param deliveryOrder  in which order results reach the aggregator; task order makes a run reproducible
 * @param crlReload      how often the site list and revocation list are re-read
 * @param training       the model, strategy, rounds and local training settings
 * @param dashboard      whether and where the server serves its web dashboard (section {@code dashboard})
 */
public record ServerConfig(Path file, Path kit, String listenHost, Integer listenPort, String run, Path store,
                           Path checkpoints, int keepCheckpoints, int waitForSites, Duration waitTimeout,
                           Duration heartbeatInterval, Duration heartbeatTimeout, double maxUpdateNorm,
                           DeliveryOrder deliveryOrder, Duration crlReload, SimulationConfig training,
                           Dashboard dashboard) {

    /**
     * The {@code dashboard} section: off unless {@code enabled: true}; on {@code host} (127.0.0.1 by default) and
     * {@code port} (8480 by default, 0 for any free one), over TLS with the kit's certificate and its operator token.
     */
    public record Dashboard(boolean enabled, String host, int port) {
        /** The section's defaults: disabled, 127.0.0.1, 8480. */
        public static final Dashboard OFF = new Dashboard(false, "127.0.0.1", 8480);

        public Dashboard {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("dashboard.host must not be blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("dashboard.port must be 0..65535, got " + port);
            }
        }
    }

    /** The {@code dashboard} section as written. */
    record DashboardRaw(Boolean enabled, String host, Integer port) {
    }

    /** The file's keys, as written (snake_case). */
    record Raw(String kit, String listen, String run, String store, String checkpoints, Integer keepCheckpoints,
               Integer waitForSites, Integer waitTimeoutSeconds, Integer heartbeatIntervalSeconds,
               Integer heartbeatTimeoutSeconds, Double maxUpdateNorm, String deliveryOrder, Integer crlReloadSeconds,
               JsonNode training, DashboardRaw dashboard) {
    }

    /** Reads and checks a server config; errors name the file, the key and where its value is in the file. */
    public static ServerConfig load(Path file) {
        try {
            return checked(file);
        } catch (ConfigException e) {
            if (e.getMessage().contains("(line ") || !java.nio.file.Files.isReadable(file)) {
                throw e; // located already, or the file itself is what is wrong
            }
            String at = YamlPositions.ofKeyNamedIn(YamlBinder.read(file), e.getMessage());
            throw at.isEmpty() ? e : new ConfigException(e.getMessage() + at);
        }
    }

    private static ServerConfig checked(Path file) {
        Raw raw = YamlBinder.load(file, Raw.class);
        Path dir = file.toAbsolutePath().getParent();
        String where = file.toString();
        if (raw.training() == null || !raw.training().isObject()) {
            throw new ConfigException(where + ": key 'training' is missing; it holds the model, strategy and rounds"
                    + " in the keys of a simulation config");
        }
        refuseSimulationOnlyKeys(file, raw.training());
        SimulationConfig training = YamlBinder.loadSection(file, "training", SimulationConfig.class);
        String host = "0.0.0.0";
        Integer port = null;
        if (raw.listen() != null) {
            int colon = raw.listen().lastIndexOf(':');
            if (colon <= 0) {
                throw new ConfigException(where + ": key 'listen' must be HOST:PORT, got '" + raw.listen() + "'");
            }
            host = raw.listen().substring(0, colon);
            port = parsePort(where, raw.listen().substring(colon + 1));
        }
        int heartbeat = positive(where, "heartbeat_interval_seconds", raw.heartbeatIntervalSeconds(), 5);
        int silence = positive(where, "heartbeat_timeout_seconds", raw.heartbeatTimeoutSeconds(), 30);
        if (silence <= heartbeat) {
            throw new ConfigException(where + ": key 'heartbeat_timeout_seconds' (" + silence + ") must be longer than"
                    + " heartbeat_interval_seconds (" + heartbeat + ")");
        }
        double norm = raw.maxUpdateNorm() == null ? Double.POSITIVE_INFINITY : raw.maxUpdateNorm();
        if (!(norm > 0)) {
            throw new ConfigException(where + ": key 'max_update_norm' must be positive, got " + norm);
        }
        int keep = raw.keepCheckpoints() == null ? 3 : raw.keepCheckpoints();
        if (keep < 0) {
            throw new ConfigException(where + ": key 'keep_checkpoints' must be >= 0 (0 keeps all), got " + keep);
        }
        int waitFor = raw.waitForSites() == null ? training.minFitSites() : raw.waitForSites();
        if (waitFor < 1) {
            throw new ConfigException(where + ": key 'wait_for_sites' must be >= 1, got " + waitFor);
        }
        if (raw.run() == null || raw.run().isBlank()) {
            throw new ConfigException(where + ": key 'run' is missing; name the run (for example heart-fedavg)");
        }
        if (raw.kit() == null || raw.kit().isBlank()) {
            throw new ConfigException(where + ": key 'kit' is missing; it names the server's startup kit folder"
                    + " written by 'fedmed provision'");
        }
        return new ServerConfig(file, dir.resolve(raw.kit()).normalize(), host, port, raw.run().strip(),
                dir.resolve(raw.store() == null ? "fedmed.db" : raw.store()).normalize(),
                dir.resolve(raw.checkpoints() == null ? "checkpoints" : raw.checkpoints()).normalize(), keep, waitFor,
                Duration.ofSeconds(positive(where, "wait_timeout_seconds", raw.waitTimeoutSeconds(), 600)),
                Duration.ofSeconds(heartbeat), Duration.ofSeconds(silence), norm,
                deliveryOrder(where, raw.deliveryOrder()),
                Duration.ofSeconds(positive(where, "crl_reload_seconds", raw.crlReloadSeconds(), 30)), training,
                dashboard(where, raw.dashboard()));
    }

    private static Dashboard dashboard(String where, DashboardRaw d) {
        if (d == null) {
            return Dashboard.OFF;
        }
        int port = d.port() == null ? Dashboard.OFF.port() : d.port();
        if (port < 0 || port > 65535) {
            throw new ConfigException(where + ": key 'dashboard.port' must be 0..65535, got " + port);
        }
        if (d.host() != null && d.host().isBlank()) {
            throw new ConfigException(where + ": key 'dashboard.host' must not be blank");
        }
        return new Dashboard(Boolean.TRUE.equals(d.enabled()), d.host() == null ? Dashboard.OFF.host() : d.host().strip(),
                port);
    }

    /**
     * Refuses the first key of {@code training} that only a simulation uses ({@link
     * SimulationConfig#SIMULATION_ONLY_KEYS}), naming it, its line and column, and why the server has no use for it.
     */
    private static void refuseSimulationOnlyKeys(Path file, JsonNode training) {
        for (String key : (Iterable<String>) training::fieldNames) {
            String why = SimulationConfig.SIMULATION_ONLY_KEYS.get(key);
            if (why != null) {
                String text;
                try {
                    text = Files.readString(file);
                } catch (IOException e) {
                    text = null; // read a moment ago; without it the message only lacks the line
                }
                throw new ConfigException(file + " (section 'training'): key '" + key + "' only means something to"
                        + " 'fedmed simulate'" + YamlPositions.at(text, List.of("training", key), true) + ": " + why
                        + "; remove it from the server config");
            }
        }
    }

    private static DeliveryOrder deliveryOrder(String where, String value) {
        String v = value == null ? "task_order" : value.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (v) {
            case "task_order" -> DeliveryOrder.TASK_ORDER;
            case "arrival" -> DeliveryOrder.ARRIVAL;
            default -> throw new ConfigException(where + ": key 'delivery_order' must be task_order or arrival, got '"
                    + value + "'");
        };
    }

    private static int parsePort(String where, String text) {
        try {
            int port = Integer.parseInt(text.strip());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(where + ": key 'listen' has port '" + text + "'; expected 0..65535");
    }

    private static int positive(String where, String key, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new ConfigException(where + ": key '" + key + "' must be >= 1, got " + v);
        }
        return v;
    }
}
