package org.fedmed.core;

import java.util.regex.Pattern;

/**
 * The one rule for names owned by the feature that writes them, such as auxiliary vectors ({@code scaffold.c}) and
 * strategy state ({@code server_optimizer.m}): two or more dotted lower-case words, the first starting with a letter,
 * each made of {@code a-z}, {@code 0-9} and {@code _}.
 */
public final class DottedName {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_]+)+");

    private DottedName() {
    }

    /** Whether {@code name} follows the rule; false for null. */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
