package org.fedmed.server.log;

import java.util.Locale;

/** How console events are written: the plain text lines (the default), or one JSON object per line. */
public enum LogFormat {
    TEXT,
    JSON;

    /** The format named {@code name} ({@code text} or {@code json}, any case), naming {@code option} if unknown. */
    public static LogFormat parse(String option, String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("option '" + option + "': expected text or json, got '"
                    + name + "'");
        };
    }
}
