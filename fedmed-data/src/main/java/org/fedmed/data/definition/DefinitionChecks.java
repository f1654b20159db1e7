package org.fedmed.data.definition;

import java.util.ArrayList;
import java.util.List;
import org.fedmed.data.DataFormatException;

/**
 * Checks of a definition against the rows read with it: the label rule matches rows of every class, and the split
 * leaves every site some test rows. Each error is one line naming the definition's file, line and key.
 */
public final class DefinitionChecks {

    private DefinitionChecks() {
    }

    /**
     * Every class of the label rule holds at least one row over all sites; {@code counts} are the rows per class.
     *
     * @throws DataFormatException naming the label rule's key, its line and column
     */
    public static void labelMatchesRows(DatasetDefinition def, long[] counts) {
        for (int k = 0; k < def.classes(); k++) {
            if (counts[k] == 0) {
                throw new DataFormatException(labelRuleMatchesNoRow(def, k, counts));
            }
        }
    }

    /** The one-line message for class {@code k} of the label rule matching no row; counts are per class. */
    private static String labelRuleMatchesNoRow(DatasetDefinition def, int k, long[] counts) {
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

    /**
     * Every site has at least one test row; {@code testRows} are per site, in the order of {@code ids}.
     *
     * @throws DataFormatException naming the split's key, its line and column, and the site
     */
    public static void testRowsPresent(DatasetDefinition def, List<String> ids, long[] testRows) {
        for (int s = 0; s < ids.size(); s++) {
            if (testRows[s] == 0) {
                throw new DataFormatException(noTestRows(def, ids.get(s)));
            }
        }
    }

    /** The one-line message for a split that leaves {@code site} with no test rows. */
    private static String noTestRows(DatasetDefinition def, String site) {
        List<Object> key = switch (def.split()) {
            case SplitRule.Column c -> List.of("split", "test");
            case SplitRule.Fraction f -> f.testFraction() != null ? List.of("split", "test_fraction") : List.of("split");
            case SplitRule.Files f -> List.of("sites");
            case SplitRule.Rows r -> List.of("split", "test_rows");
        };
        String how = switch (def.split()) {
            case SplitRule.Column c -> "no row of site '" + site + "' has a test value " + c.test() + " in column '"
                    + c.column() + "'";
            case SplitRule.Fraction f -> "the fraction holds out no row of site '" + site + "' (too few rows per class)";
            case SplitRule.Files f -> "the test file of site '" + site + "' has no rows";
            case SplitRule.Rows r -> "no row of site '" + site + "' is listed under split.test_rows";
        };
        return def.source().message(key, key.size() == 1, "the split leaves site '" + site + "' with no test rows: " + how);
    }
}
