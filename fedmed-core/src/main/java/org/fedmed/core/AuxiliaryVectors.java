package org.fedmed.core;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rule for the named vectors a fit task or a fit result may carry besides the model (SCAFFOLD's control
 * variates): each name is dotted lower-case words owned by the feature that writes it ({@code scaffold.c}), and each
 * vector has exactly the model's {@link ParameterLayout}, so it travels, is checked and is folded as the model's
 * parameters are. The maps are kept in their given order, which is their order on the wire.
 */
public final class AuxiliaryVectors {

    private AuxiliaryVectors() {
    }

    /** Whether {@code name} is a valid auxiliary vector name: dotted lower-case words, e.g. {@code scaffold.c}. */
    public static boolean isName(String name) {
        return DottedName.isValid(name);
    }

    /**
     * An unmodifiable, ordered copy of {@code vectors}, after checking every name and that every vector has
     * {@code layout}.
     *
     * @param owner for messages: "site 'a'", "the fit task for site 'a'"
     * @throws IllegalArgumentException naming the owner, the vector and what is wrong
     */
    public static Map<String, ModelParameters> check(String owner, Map<String, ModelParameters> vectors,
                                                     ParameterLayout layout) {
        if (vectors == null) {
            throw new IllegalArgumentException(owner + ": auxiliary vectors must be a map (empty for none), got null");
        }
        Map<String, ModelParameters> copy = new LinkedHashMap<>();
        vectors.forEach((name, v) -> {
            if (!isName(name)) {
                throw new IllegalArgumentException(owner + ": auxiliary vector name '" + name
                        + "' must be dotted lower-case words, e.g. scaffold.c");
            }
            if (v == null) {
                throw new IllegalArgumentException(owner + ": auxiliary vector '" + name + "' is null");
            }
            if (!v.layout().equals(layout)) {
                throw new IllegalArgumentException(owner + ": auxiliary vector '" + name + "' has layout "
                        + v.layout().entries() + ", expected the model's " + layout.entries());
            }
            copy.put(name, v);
        });
        return Collections.unmodifiableMap(copy);
    }
}
