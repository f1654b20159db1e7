package org.fedmed.data.profile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.DataFormatException;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.DefinitionChecks;
import org.fedmed.data.definition.DefinitionRows;
import org.fedmed.data.definition.SiteFiles;
import org.fedmed.data.definition.SiteLayout;
import org.fedmed.data.definition.SplitRule;
import org.fedmed.data.federated.DataOptions;
import org.fedmed.data.registry.ResolvedDataset;
import org.fedmed.data.schema.DatasetSchema;

/**
 * Checks every file of a definition against it, streaming (one row in memory at a time; memory grows with the
 * number of sites and columns, never with the number of rows), and profiles each site. A partitioned file is
 * profiled as one site, {@value DefinitionRows#UNPARTITIONED}. Validation fails on the first problem: a row that
 * does not fit (file, line, column), a label rule that matches no row, or a split that leaves a site with no test
 * rows (for a fraction split: one whose share, as the simulation draws it, rounds to no row of any class).
 */
public final class DatasetValidator {

    private DatasetValidator() {
    }

    /**
     * Validates and profiles the resolved files of a definition.
     *
     * @throws DataFormatException naming the file, line and column of a row that does not fit, or the definition's
     *                             file, line and key for a label rule that matches no row or a split that leaves a
     *                             site with no test rows
     */
    public static DatasetProfile validate(ResolvedDataset resolved) {
        DatasetDefinition def = resolved.definition();
        DatasetSchema schema = def.schema();
        Map<String, SiteProfile> sites = new LinkedHashMap<>();
        switch (def.sites()) {
            case SiteLayout.FilePerSite f -> f.sites().stream().map(SiteFiles::id)
                    .forEach(id -> sites.put(id, new SiteProfile(id, schema)));
            case SiteLayout.SiteColumn c -> c.ids().forEach(id -> sites.put(id, new SiteProfile(id, schema)));
            case SiteLayout.Partitioned p -> { }
        }
        DefinitionRows.stream(def, resolved.files(), null, (site, part, row, event) ->
                sites.computeIfAbsent(site, id -> new SiteProfile(id, schema))
                        .add(row.values(), row.label(), part, event, row.source()));
        List<SiteProfile> profiles = new ArrayList<>(sites.values());
        if (def.classes() > 0) {
            long[] counts = new long[def.classes()];
            for (SiteProfile s : profiles) {
                long[] c = s.classCounts();
                for (int i = 0; i < counts.length; i++) {
                    counts[i] += c[i];
                }
            }
            DefinitionChecks.labelMatchesRows(def, counts);
        }
        if (!def.partitioned()) {
            long[] test = new long[profiles.size()];
            for (int i = 0; i < test.length; i++) {
                test[i] = def.split() instanceof SplitRule.Fraction f ? heldOut(profiles.get(i), f) : profiles.get(i).testRows();
            }
            DefinitionChecks.testRowsPresent(def, profiles.stream().map(SiteProfile::id).toList(), test);
        }
        return new DatasetProfile(def, resolved.files(), resolved.checksums(), profiles);
    }

    /** The test rows a fraction split draws from the site, per class as {@code Splits.stratified} does. */
    private static long heldOut(SiteProfile s, SplitRule.Fraction f) {
        double fraction = f.testFraction() != null ? f.testFraction() : DataOptions.DEFAULT_TEST_FRACTION;
        long[] strata = s.classCounts().length > 0 ? s.classCounts() : new long[] {s.rows()};
        long held = 0;
        for (long n : strata) {
            held += n >= 2 ? Math.min(Math.round(n * fraction), n - 1) : 0;
        }
        return held;
    }
}
