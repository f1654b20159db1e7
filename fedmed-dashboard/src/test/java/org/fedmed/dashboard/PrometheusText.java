package org.fedmed.dashboard;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line is a {@code # HELP},
 * a {@code # TYPE} (with a known type, before the family's samples, once per family) or a sample
 * {@code name{label="value",...} number}; anything else fails. Returns each sample's value keyed by its name and
 * labels as written (labels left out when there are none).
 */
final class PrometheusText {

    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("(" + NAME + ")(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\""
            + "(?:,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*,?)?})? (\\S+)( -?\\d+)?");

    private PrometheusText() {
    }

    static Map<String, Double> parse(String text) {
        if (!text.endsWith("\n")) {
            throw new IllegalArgumentException("exposition must end with a newline");
        }
        Map<String, Double> out = new HashMap<>();
        Set<String> typed = new HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            Matcher m;
            if (line.startsWith("#")) {
                if ((m = TYPE.matcher(line)).matches()) {
                    if (!typed.add(m.group(1))) {
                        throw new IllegalArgumentException("line " + n + ": second TYPE for " + m.group(1));
                    }
                } else if (!HELP.matcher(line).matches()) {
                    throw new IllegalArgumentException("line " + n + ": not HELP or TYPE: " + line);
                }
                continue;
            }
            if (!(m = SAMPLE.matcher(line)).matches()) {
                throw new IllegalArgumentException("line " + n + ": not a sample: " + line);
            }
            String name = m.group(1);
            String family = name.replaceFirst("_(total|count|sum|bucket|max|created)$", "");
            if (!typed.contains(name) && !typed.contains(family)) {
                throw new IllegalArgumentException("line " + n + ": sample " + name + " before its TYPE");
            }
            double v = switch (m.group(3)) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(m.group(3));
            };
            String key = name + (m.group(2) == null ? "" : m.group(2));
            if (out.put(key, v) != null) {
                throw new IllegalArgumentException("line " + n + ": duplicate sample " + key);
            }
        }
        return out;
    }
}
