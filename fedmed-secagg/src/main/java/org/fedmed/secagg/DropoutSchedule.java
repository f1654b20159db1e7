package org.fedmed.secagg;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Which simulated clients drop, and where: a map from client id (1..n) to the {@link DropPoint} at which it
 * stops answering. Clients not in the map answer every request.
 */
public record DropoutSchedule(Map<Integer, DropPoint> drops) {

    public DropoutSchedule {
        for (Map.Entry<Integer, DropPoint> e : drops.entrySet()) {
            if (e.getKey() == null || e.getKey() < 1) {
                throw new IllegalArgumentException("dropout schedule: client id must be >= 1, got " + e.getKey());
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("dropout schedule: client " + e.getKey() + " has no drop point");
            }
        }
        drops = Map.copyOf(drops);
    }

    /** Nobody drops. */
    public static DropoutSchedule none() {
        return new DropoutSchedule(Map.of());
    }

    /**
     * {@code round(fraction * numClients)} clients, drawn without replacement with a seeded generator, all drop at
     * {@code point}.
     */
    public static DropoutSchedule randomFraction(int numClients, double fraction, DropPoint point, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("dropout fraction must be in [0, 1], got " + fraction);
        }
        List<Integer> ids = new ArrayList<>();
        for (int u = 1; u <= numClients; u++) {
            ids.add(u);
        }
        java.util.Collections.shuffle(ids, new Random(seed));
        int count = (int) Math.round(fraction * numClients);
        Map<Integer, DropPoint> drops = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            drops.put(ids.get(i), point);
        }
        return new DropoutSchedule(drops);
    }

    /** Whether client {@code id} has dropped by the time the protocol reaches {@code step}. */
    public boolean dropsAtOrBefore(int id, DropPoint step) {
        DropPoint p = drops.get(id);
        return p != null && p.compareTo(step) <= 0;
    }
}
