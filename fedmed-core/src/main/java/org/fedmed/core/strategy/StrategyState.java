package org.fedmed.core.strategy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.fedmed.core.DottedName;

/**
 * What a strategy carries from one round to the next besides the global model (server optimizer moments, control
 * variates, the privacy accountant, an adaptive clip), in a form a checkpoint stores exactly: named float vectors
 * and named text values (numbers written with {@link Double#toString} or {@link Long#toString}, which read back
 * to the same value). Names are dotted, owned by the component that writes them ({@code server_optimizer.m},
 * {@code dp.accountant}), so that decorated strategies can merge their parts without clashing. Immutable: the
 * vectors are copied in and out.
 */
public record StrategyState(Map<String, float[]> vectors, Map<String, String> values) {

    /** The state of a strategy that keeps none. */
    public static final StrategyState EMPTY = new StrategyState(Map.of(), Map.of());

    public StrategyState {
        Map<String, float[]> copy = new LinkedHashMap<>();
        vectors.forEach((k, val) -> copy.put(requireName(k), val.clone()));
        vectors = Collections.unmodifiableMap(copy);
        values.keySet().forEach(StrategyState::requireName);
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Whether there is nothing to store. */
    public boolean isEmpty() {
        return vectors.isEmpty() && values.isEmpty();
    }

    /** This state and {@code other}'s together; a name both hold is refused. */
    public StrategyState merge(StrategyState other) {
        Map<String, float[]> v = new LinkedHashMap<>(vectors);
        Map<String, String> s = new LinkedHashMap<>(values);
        other.vectors.forEach((k, val) -> {
            if (v.putIfAbsent(k, val) != null) {
                throw new IllegalArgumentException("strategy state '" + k + "' is written twice");
            }
        });
        other.values.forEach((k, val) -> {
            if (s.putIfAbsent(k, val) != null) {
                throw new IllegalArgumentException("strategy state '" + k + "' is written twice");
            }
        });
        return new StrategyState(v, s);
    }

    /** The part of this state whose names start with {@code prefix}. */
    public StrategyState part(String prefix) {
        Map<String, float[]> v = new LinkedHashMap<>();
        Map<String, String> s = new LinkedHashMap<>();
        vectors.forEach((k, val) -> {
            if (k.startsWith(prefix)) {
                v.put(k, val);
            }
        });
        values.forEach((k, val) -> {
            if (k.startsWith(prefix)) {
                s.put(k, val);
            }
        });
        return new StrategyState(v, s);
    }

    /** This state without the names that start with {@code prefix}: what {@link #part} leaves. */
    public StrategyState without(String prefix) {
        Map<String, float[]> v = new LinkedHashMap<>();
        Map<String, String> s = new LinkedHashMap<>();
        vectors.forEach((k, val) -> {
            if (!k.startsWith(prefix)) {
                v.put(k, val);
            }
        });
        values.forEach((k, val) -> {
            if (!k.startsWith(prefix)) {
                s.put(k, val);
            }
        });
        return new StrategyState(v, s);
    }

    @Override
    public Map<String, float[]> vectors() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        vectors.forEach((k, val) -> copy.put(k, val.clone()));
        return Collections.unmodifiableMap(copy);
    }

    private static String requireName(String name) {
        if (!DottedName.isValid(name)) {
            throw new IllegalArgumentException("strategy state name '" + name + "' must be dotted lower-case words,"
                    + " e.g. server_optimizer.m");
        }
        return name;
    }
}
