package org.fedmed.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class HelpTextTest {

    @Test
    void aSentenceSplitOverLiteralsIsJoinedAndSentencesAndTablesKeepTheirLines() {
        assertArrayEquals(new String[]{"Applies a model to raw rows: each row is scored.", "Writes the rows."},
                HelpText.paragraphs(new String[]{"Applies a model to raw rows: each row", "is scored.",
                        "Writes the rows."}));
        assertArrayEquals(new String[]{"Creates the kits under --out:", "  ca/      CA key", "  server/  its kit",
                        "Afterwards: add-site and revoke operate them."},
                HelpText.paragraphs(new String[]{"Creates the kits under --out:", "  ca/      CA key",
                        "  server/  its kit", "Afterwards: add-site and revoke", "operate them."}));
        assertArrayEquals(new String[0], HelpText.paragraphs(new String[0]));
    }

    @Test
    void predictsHelpWrapsItsSentenceAtTheWidthNotWhereTheSourceBrokeIt() {
        var line = FedmedCommand.commandLine();
        StringWriter out = new StringWriter();
        line.getSubcommands().get("provision").getSubcommands().get("revoke").usage(new PrintWriter(out));
        String help = out.toString();
        for (String l : help.lines().toList()) {
            assertFalse(l.strip().equals("(every") || l.strip().equals("certificate"), "a lone word: " + help);
        }
        assertTrue(help.contains("Usage: fedmed provision revoke"), help);
    }
}
