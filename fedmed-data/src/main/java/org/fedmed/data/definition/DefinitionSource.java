package org.fedmed.data.definition;

import java.util.List;
import org.fedmed.config.YamlPositions;

/**
 * The text a definition was read from and what to call it in messages (its path, or its resource name), so that an
 * error found later, while the data are read, still names the file, the line and the column of the key at fault.
 */
public record DefinitionSource(String name, String text) {

    public DefinitionSource {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("definition source name must not be blank");
        }
        text = text == null ? "" : text;
    }

    /**
     * {@code "<name>: key '<key>' (line L, column C): <problem>"}; {@code path} is the key's path from the top of the
     * file (field names and list indexes), {@code onKey} whether to point at the key rather than its value.
     */
    public String message(List<Object> path, boolean onKey, String problem) {
        return name + ": key '" + dotted(path) + "'" + YamlPositions.at(text, path, onKey) + ": " + problem;
    }

    /**
     * {@code "<name>: key '<parent>.<key>' (line L, column C): is required"}, the position being the parent's key
     * (nothing for a top-level key).
     */
    public String missing(List<Object> parent, String key) {
        List<Object> full = new java.util.ArrayList<>(parent);
        full.add(key);
        return name + ": key '" + dotted(full) + "'" + (parent.isEmpty() ? "" : YamlPositions.at(text, parent, true))
                + ": is required";
    }

    /** {@code columns[2].type} for {@code [columns, 2, type]}. */
    public static String dotted(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer i) {
                sb.append('[').append(i).append(']');
            } else {
                sb.append(sb.isEmpty() ? "" : ".").append(step);
            }
        }
        return sb.isEmpty() ? "(top level)" : sb.toString();
    }
}
