package org.fedmed.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Maps the lower-case keys used in spec files to enum constants, with errors that name the field. */
final class SpecKeys {

    private SpecKeys() {
    }

    /** The spec-file spelling of an enum constant: {@code CROSS_ENTROPY} is {@code cross_entropy}. */
    static String key(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String value, String field) {
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (key(e).equals(value)) {
                return e;
            }
            known.add(key(e));
        }
        throw new IllegalArgumentException("model spec: '" + field + "' must be one of "
                + String.join(", ", known) + ", got '" + value + "'");
    }
}
