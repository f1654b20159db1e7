package org.fedmed.transport.wire;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fedmed.core.AuxiliaryVectors;
import org.fedmed.core.ModelParameters;
import org.fedmed.core.ParameterLayout;

/**
 * The payload of a fit task or fit result that carries auxiliary vectors ({@link AuxiliaryVectors}, e.g. SCAFFOLD's
 * {@code scaffold.c}): the model's values, then each auxiliary vector's, in the order the header names them, all with
 * the header's layout, in one chunked payload with one CRC. A payload without auxiliary vectors is the model's values
 * alone, exactly as before they existed. At most {@value #MAX_VECTORS} vectors travel with one payload.
 */
public final class AuxiliaryPayload {

    /** The most auxiliary vectors one task or result may carry. */
    public static final int MAX_VECTORS = 8;

    private AuxiliaryPayload() {
    }

    /** The model's values followed by each vector's, in the map's order; the model's own array when there is none. */
    public static float[] join(ModelParameters model, Map<String, ModelParameters> auxiliary) {
        if (auxiliary.isEmpty()) {
            return model.flat();
        }
        int p = model.size();
        float[] out = Arrays.copyOf(model.flat(), Math.multiplyExact(p, 1 + auxiliary.size()));
        int at = p;
        for (ModelParameters v : auxiliary.values()) {
            System.arraycopy(v.flat(), 0, out, at, p);
            at += p;
        }
        return out;
    }

    /** Bytes of a payload of {@code layout} with {@code vectors} auxiliary vectors. */
    public static long bytes(ParameterLayout layout, int vectors) {
        return Layouts.payloadBytes(layout) * (1 + vectors);
    }

    /** The model part of a received payload. */
    public static ModelParameters model(ParameterLayout layout, float[] payload) {
        int p = layout.totalSize();
        return ModelParameters.ofFlat(layout, payload.length == p ? payload : Arrays.copyOf(payload, p));
    }

    /** The auxiliary vectors of a received payload, named in header order. */
    public static Map<String, ModelParameters> auxiliary(ParameterLayout layout, float[] payload, List<String> names) {
        int p = layout.totalSize();
        if ((long) p * (1 + names.size()) != payload.length) {
            throw new IllegalArgumentException("a payload of " + payload.length + " values cannot hold the model of " + p
                    + " and auxiliary vectors " + names);
        }
        Map<String, ModelParameters> out = new LinkedHashMap<>();
        for (int k = 0; k < names.size(); k++) {
            int from = p * (k + 1);
            out.put(names.get(k), ModelParameters.ofFlat(layout, Arrays.copyOfRange(payload, from, from + p)));
        }
        return out;
    }

    /** Why a header's auxiliary names are unacceptable (too many, a bad name, a name twice), or null. */
    public static String problem(List<String> names) {
        if (names.size() > MAX_VECTORS) {
            return "names " + names.size() + " auxiliary vectors; at most " + MAX_VECTORS + " may travel with one payload";
        }
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!AuxiliaryVectors.isName(n)) {
                return "auxiliary vector name '" + n + "' is not dotted lower-case words, e.g. scaffold.c";
            }
            if (!seen.add(n)) {
                return "names auxiliary vector '" + n + "' twice";
            }
        }
        return null;
    }
}
