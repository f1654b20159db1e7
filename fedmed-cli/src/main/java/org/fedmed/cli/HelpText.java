package org.fedmed.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Re-flows the description of every command so that {@code --help} wraps its sentences at the terminal's width: the
 * source keeps descriptions as several string literals, and picocli prints each on a line of its own, which split
 * sentences in odd places once picocli wrapped the longer ones again. A literal is joined to the next one unless it
 * ends a sentence ({@code .} or {@code )}), or either is indented (a table row such as
 * {@code "  ca/  CA key and certificate"}), so paragraphs and tables keep their lines.
 */
final class HelpText {

    private HelpText() {
    }

    /** Re-flows {@code line}'s description and its subcommands', in place. */
    static void reflow(CommandLine line) {
        CommandLine.Model.UsageMessageSpec usage = line.getCommandSpec().usageMessage();
        usage.description(paragraphs(usage.description()));
        for (CommandLine sub : line.getSubcommands().values()) {
            reflow(sub);
        }
    }

    /** {@code lines} with each sentence that runs on to the next literal joined to it by a space. */
    static String[] paragraphs(String[] lines) {
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : lines) {
            boolean indented = indented(line);
            if (current != null && !indented && !indented(current) && !ends(current)) {
                current.append(' ').append(line.strip());
                continue;
            }
            if (current != null) {
                out.add(current.toString());
            }
            current = new StringBuilder(line);
        }
        if (current != null) {
            out.add(current.toString());
        }
        return out.toArray(String[]::new);
    }

    private static boolean indented(CharSequence line) {
        return !line.isEmpty() && Character.isWhitespace(line.charAt(0));
    }

    private static boolean ends(CharSequence text) {
        String t = text.toString().stripTrailing();
        return t.isEmpty() || t.endsWith(".") || t.endsWith(")");
    }
}
