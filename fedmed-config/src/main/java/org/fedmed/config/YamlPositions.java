package org.fedmed.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where in a YAML config file an error is, as {@code (line L, column C)}, both counted from 1 as editors do: the
 * problem a syntax error reports, and the key (for an unknown key) or the value (for a wrong one) at a binding
 * error's path. Binding errors are located by walking the file's own tokens to the path, not from the position the
 * binder had reached, which for an unknown key inside a record is a line or more further on, and which is lost
 * altogether when a config is bound from a tree.
 */
public final class YamlPositions {

    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlPositions() {
    }

    /**
     * The message for text that is not valid YAML: {@code source: not valid YAML at line L, column C: problem},
     * with the line and column where the parser found the problem, and where the bracket, quote or block it was
     * in began when that is on an earlier line.
     */
    @SuppressWarnings("deprecation") // Jackson 2's only access to the parser's problem mark
    public static String syntaxError(String source, JsonProcessingException e) {
        String problem = e.getOriginalMessage();
        String where = "";
        Throwable t = e;
        while (t != null && !(t instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException)) {
            t = t.getCause();
        }
        if (t instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException marked
                && marked.getProblemMark() != null) {
            where = " at line " + (marked.getProblemMark().getLine() + 1) + ", column "
                    + (marked.getProblemMark().getColumn() + 1);
            problem = marked.getProblem() + (marked.getContext() == null ? "" : " (" + marked.getContext()
                    + startedAt(marked) + ")");
        } else if (e.getLocation() != null && e.getLocation().getLineNr() > 0) {
            where = " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        String first = problem == null ? "" : problem.lines().findFirst().orElse("").strip();
        return source + ": not valid YAML" + where + ": " + first;
    }

    /**
     * Where the construct the parser was in began, when on another line than the problem: the parser finds an
     * unclosed bracket or quote only where the next line starts, so the mistake is on the line named here.
     */
    private static String startedAt(com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException marked) {
        var context = marked.getContextMark();
        if (context == null || context.getLine() == marked.getProblemMark().getLine()) {
            return "";
        }
        return " that starts at line " + (context.getLine() + 1) + ", column " + (context.getColumn() + 1);
    }

    /** Whether {@code e} is (or wraps) a YAML syntax error rather than a binding one. */
    public static boolean isSyntaxError(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.JsonParseException) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code " (line L, column C)"} of what {@code e}'s path names in {@code text}: the key itself when {@code key}
     * is true (an unknown key), else its value; empty when the path is not in the text (a value given on the
     * command line, say). {@code prefix} is the path, from the top of the file, of the section that was bound.
     */
    public static String of(String text, List<String> prefix, JsonMappingException e, boolean key) {
        List<Object> path = new ArrayList<>(prefix);
        for (JsonMappingException.Reference r : e.getPath()) {
            path.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
        }
        JsonLocation at = locate(text, path, key);
        return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * {@code " (line L, column C)"} of the key (when {@code key} is true) or the value at {@code path} (field names
     * and list indexes from the top of the file) in {@code text}; empty when the path is not in the text.
     */
    public static String at(String text, List<Object> path, boolean key) {
        JsonLocation at = locate(text, path, key);
        return at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** A key as error messages quote it, {@code key 'dp.clip_norm'}; the binder locates refused values by it too. */
    static final java.util.regex.Pattern QUOTED_KEY = java.util.regex.Pattern.compile("key '([A-Za-z0-9_.]+)'");
    private static final java.util.regex.Pattern LEADING_DOTTED_KEY =
            java.util.regex.Pattern.compile("^([a-z][a-z0-9_]*(?:\\.[a-z][a-z0-9_]*)+)[: ]");

    /**
     * {@code " (line L, column C)"} of the value of the key an error message names, for a check made after the file
     * was bound (a value each key allows on its own, but not as given): the key as {@code key 'dashboard.port'}
     * anywhere in the message, or as a dotted key that opens it ({@code data.test_fraction must ...}). Empty when
     * the message names no key, already gives a line, or the key is not in {@code text}.
     */
    public static String ofKeyNamedIn(String text, String message) {
        if (message == null || message.contains("(line ")) {
            return "";
        }
        java.util.regex.Matcher m = QUOTED_KEY.matcher(message);
        String key = m.find() ? m.group(1) : null;
        if (key == null) {
            java.util.regex.Matcher leading = LEADING_DOTTED_KEY.matcher(message);
            key = leading.find() ? leading.group(1) : null;
        }
        return key == null ? "" : at(text, List.of((Object[]) key.split("\\.")), false);
    }

    /** The location of the key or value at {@code path} (field names and list indexes), or null if it is not there. */
    static JsonLocation locate(String text, List<Object> path, boolean key) {
        if (text == null || path.isEmpty()) {
            return null;
        }
        try (JsonParser p = YAML.createParser(text)) {
            return p.nextToken() == null ? null : descend(p, path, 0, key);
        } catch (IOException e) {
            return null;
        }
    }

    /** With {@code p} on the first token of a value, finds {@code path[i..]} inside it. */
    private static JsonLocation descend(JsonParser p, List<Object> path, int i, boolean key) throws IOException {
        if (i == path.size()) {
            return p.currentTokenLocation();
        }
        Object step = path.get(i);
        if (step instanceof String field && p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                JsonLocation keyAt = p.currentTokenLocation();
                boolean match = field.equals(p.currentName());
                p.nextToken();
                if (match) {
                    return key && i == path.size() - 1 ? keyAt : descend(p, path, i + 1, key);
                }
                p.skipChildren();
            }
        } else if (step instanceof Integer index && p.currentToken() == JsonToken.START_ARRAY) {
            for (int n = 0; p.nextToken() != JsonToken.END_ARRAY && p.currentToken() != null; n++) {
                if (n == index) {
                    return descend(p, path, i + 1, key);
                }
                p.skipChildren();
            }
        }
        return null;
    }
}
