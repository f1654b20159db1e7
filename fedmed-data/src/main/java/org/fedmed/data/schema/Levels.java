package org.fedmed.data.schema;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Matching of a cell's text against declared values. Text matches exactly first; failing that, two
 * numeric spellings of the same number match ({@code "1"} and {@code "1.0"}), because sites often write
 * the same code differently. Labels, levels and missing markers all match this way.
 */
public final class Levels {

    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Levels() {
    }

    /** The index of the declared value {@code cell} matches, or -1 if none. */
    public static int indexOf(List<String> declared, String cell) {
        String text = cell.trim();
        for (int i = 0; i < declared.size(); i++) {
            if (declared.get(i).equals(text)) {
                return i;
            }
        }
        if (!NUMBER.matcher(text).matches()) {
            return -1;
        }
        double value = Double.parseDouble(text);
        for (int i = 0; i < declared.size(); i++) {
            String level = declared.get(i).trim();
            if (NUMBER.matcher(level).matches() && Double.parseDouble(level) == value) {
                return i;
            }
        }
        return -1;
    }
}
