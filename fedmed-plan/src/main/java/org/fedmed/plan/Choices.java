package org.fedmed.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * How a config's closed choices are read: a string matched, case-insensitively and with {@code -} read as
 * {@code _}, against the config names of an enum's constants; an unknown value is refused naming the key and the
 * allowed values. Shared by the config records' document factories so that every choice reads the same way.
 */
final class Choices {

    private Choices() {
    }

    /** {@code value} as the constant of {@code allowed} whose config name it is, or {@code fallback} when absent. */
    static <E> E of(String key, String value, E fallback, E[] allowed, Function<E, String> name) {
        if (value == null && fallback != null) {
            return fallback;
        }
        String v = String.valueOf(value).toLowerCase(Locale.ROOT).replace('-', '_');
        for (E e : allowed) {
            if (name.apply(e).equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("config key '" + key + "': unknown value '" + value + "' (allowed: "
                + names(allowed, name).stream().sorted().toList() + ")");
    }

    /** The config names of {@code allowed}, in declaration order. */
    static <E> List<String> names(E[] allowed, Function<E, String> name) {
        return Arrays.stream(allowed).map(name).toList();
    }

    /** An enum constant's config name: its name in lower case. */
    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    /** {@code value}, or {@code fallback} when a document leaves the key out ({@code value} is null). */
    static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }

    /** Refuses a value, naming its key, unless {@code ok}. */
    static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new IllegalArgumentException("config key '" + key + "' " + message);
        }
    }
}
