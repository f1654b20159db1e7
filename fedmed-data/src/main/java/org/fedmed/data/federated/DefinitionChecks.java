package org.fedmed.data.federated;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.LabelRule;
import org.fedmed.data.definition.SplitRule;

/** Checks of a definition against the rows read with it, whose errors name the definition's file, line and key. */
final class DefinitionChecks {

    private DefinitionChecks() {
    }

    /** Every class of the label rule holds at least one row over all sites. */
    static void labelMatchesRows(DatasetDefinition def, List<SiteTables> sites) {
        int classes = def.classes();
        if (classes == 0) {
            return;
        }
        long[] counts = new long[classes];
        for (SiteTables s : sites) {
            for (RawTable t : s.presplit() ? List.of(s.train(), s.test()) : List.of(s.all())) {
                int[] c = t.classCounts();
                for (int k = 0; k < classes; k++) {
                    counts[k] += c[k];
                }
            }
        }
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new DataFormatException(labelRuleMatchesNoRow(def, k, counts));
            }
        }
    }

    /** The one-line message for class {@code k} of the label rule matching no row; counts are per class. */
    static String labelRuleMatchesNoRow(DatasetDefinition def, int k, long[] counts) {
        List<Object> key = switch (def.label()) {
            case LabelRule.BinaryAbove b -> List.of("label", "positive_above");
            case LabelRule.BinaryValues b -> List.of("label", k == 1 || b.negative().isEmpty() ? "positive" : "negative");
            case LabelRule.MultiClass m -> List.of("label", "levels", k);
            case LabelRule.Continuous c -> List.of("label");
            case LabelRule.Survival s -> List.of("label");
        };
        List<Long> all = new ArrayList<>();
        for (long c : counts) {
            all.add(c);
        }
        return def.source().message(key, false, "the label rule matches no row of class '" + def.label().classNames().get(k)
                + "' in any file (" + def.label().describe() + "; rows per class " + all + ")");
    }

    /** Every site has at least one test row. */
    static void testRowsPresent(DatasetDefinition def, List<String> ids, int[] testRows) {
        for (int s = 0; s < ids.size(); s++) {
            if (testRows[s] == 0) {
                throw new DataFormatException(noTestRows(def, ids.get(s)));
            }
        }
    }

    /** The one-line message for a split that leaves {@code site} with no test rows. */
    static String noTestRows(DatasetDefinition def, String site) {
        List<Object> key = switch (def.split()) {
            case SplitRule.Column c -> List.of("split", "test");
            case SplitRule.Fraction f -> f.testFraction() != null ? List.of("split", "test_fraction") : List.of("split");
            case SplitRule.Files f -> List.of("sites");
        };
        String how = switch (def.split()) {
            case SplitRule.Column c -> "no row of site '" + site + "' has a test value " + c.test() + " in column '"
                    + c.column() + "'";
            case SplitRule.Fraction f -> "the fraction holds out no row of site '" + site + "' (too few rows per class)";
            case SplitRule.Files f -> "the test file of site '" + site + "' has no rows";
        };
        return def.source().message(key, key.size() == 1, "the split leaves site '" + site + "' with no test rows: " + how);
    }
}
