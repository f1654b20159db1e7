package org.fedmed.transport.server;

import java.time.Duration;
import org.fedmed.core.engine.DeliveryOrder;
import org.fedmed.transport.WireLimits;

/**
 * How the federation server runs.
 *
 * @param limits             chunk, message and model size limits
 * @param heartbeatInterval  how often the server sends a heartbeat, and asks sites to
 * @param heartbeatTimeout   a site silent for longer is dropped (its open tasks fail as errors)
 * @param maxUpdateNorm      the largest L2 norm an update's delta from the global model may have; larger ones are
 *                           rejected. {@code Double.POSITIVE_INFINITY} turns the check off
 * @param resultBufferBytes  how many bytes of incoming results may be held at once (being received or waiting for
 *                           the aggregator) under {@link DeliveryOrder#ARRIVAL}; a result larger than the budget
 *                           is still received, alone
 * @param deliveryOrder      in which order outcomes reach the round engine
 * @param strategy           the strategy name sent with every task, for the sites' policies
 * @param modelSpec          a label of the model spec sent with every task, for the sites' policies
 * @param definitionCheck    the admission check of each site's dataset definition fingerprint
 */
public record ServerSettings(WireLimits limits, Duration heartbeatInterval, Duration heartbeatTimeout,
                             double maxUpdateNorm, long resultBufferBytes, DeliveryOrder deliveryOrder,
                             String strategy, String modelSpec, DefinitionCheck definitionCheck) {

    public ServerSettings {
        if (limits == null) {
            throw new IllegalArgumentException("limits are required");
        }
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat_interval must be positive, got " + heartbeatInterval);
        }
        if (heartbeatTimeout == null || heartbeatTimeout.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("heartbeat_timeout must be longer than heartbeat_interval ("
                    + heartbeatInterval + "), got " + heartbeatTimeout);
        }
        if (!(maxUpdateNorm > 0)) {
            throw new IllegalArgumentException("max_update_norm must be positive (or infinite to turn it off), got " + maxUpdateNorm);
        }
        if (resultBufferBytes < 1) {
            throw new IllegalArgumentException("result_buffer_bytes must be >= 1, got " + resultBufferBytes);
        }
        if (deliveryOrder == null) {
            throw new IllegalArgumentException("delivery_order is required");
        }
        strategy = strategy == null ? "" : strategy;
        modelSpec = modelSpec == null ? "" : modelSpec;
        definitionCheck = definitionCheck == null ? DefinitionCheck.NONE : definitionCheck;
    }

    /** Default limits, heartbeats every 5 s with a 30 s timeout, no norm bound, 1 GiB of result buffers, arrival order. */
    public static ServerSettings defaults() {
        return new ServerSettings(WireLimits.defaults(), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Double.POSITIVE_INFINITY, 1L << 30, DeliveryOrder.ARRIVAL, "", "", DefinitionCheck.NONE);
    }

    public ServerSettings withLimits(WireLimits l) {
        return new ServerSettings(l, heartbeatInterval, heartbeatTimeout, maxUpdateNorm, resultBufferBytes,
                deliveryOrder, strategy, modelSpec, definitionCheck);
    }

    public ServerSettings withHeartbeat(Duration interval, Duration timeout) {
        return new ServerSettings(limits, interval, timeout, maxUpdateNorm, resultBufferBytes, deliveryOrder,
                strategy, modelSpec, definitionCheck);
    }

    public ServerSettings withMaxUpdateNorm(double norm) {
        return new ServerSettings(limits, heartbeatInterval, heartbeatTimeout, norm, resultBufferBytes,
                deliveryOrder, strategy, modelSpec, definitionCheck);
    }

    public ServerSettings withResultBufferBytes(long bytes) {
        return new ServerSettings(limits, heartbeatInterval, heartbeatTimeout, maxUpdateNorm, bytes, deliveryOrder,
                strategy, modelSpec, definitionCheck);
    }

    public ServerSettings withDeliveryOrder(DeliveryOrder order) {
        return new ServerSettings(limits, heartbeatInterval, heartbeatTimeout, maxUpdateNorm, resultBufferBytes,
                order, strategy, modelSpec, definitionCheck);
    }

    /** The strategy name and model spec label every task carries. */
    public ServerSettings withLabels(String strategyName, String modelSpecLabel) {
        return new ServerSettings(limits, heartbeatInterval, heartbeatTimeout, maxUpdateNorm, resultBufferBytes,
                deliveryOrder, strategyName, modelSpecLabel, definitionCheck);
    }

    /** The check each site's dataset definition must pass at admission. */
    public ServerSettings withDefinitionCheck(DefinitionCheck check) {
        return new ServerSettings(limits, heartbeatInterval, heartbeatTimeout, maxUpdateNorm, resultBufferBytes,
                deliveryOrder, strategy, modelSpec, check);
    }
}
