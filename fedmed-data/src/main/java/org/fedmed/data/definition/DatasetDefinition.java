package org.fedmed.data.definition;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedmed.core.objective.LabelLayout;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;

/**
 * A dataset as its owner describes it, read at run time from YAML (see {@link DefinitionReader} and
 * docs/datasets.md): what it is (name, description, licence, citation, URL; only the name is required), its
 * columns with their types, missing markers and roles, the label, the sites and their files, and the train/test
 * split. The built-in datasets are definitions too, shipped as resources. Column names are unique across features,
 * dropped columns, the label's columns, and the site and split columns; every column the files hold must be
 * declared in one of those places. {@link #schema()} is what the CSV reader checks each row against.
 */
public record DatasetDefinition(String name, List<String> aliases, String description, String licence, String citation,
                                String url, List<ColumnDefinition> columns, LabelRule label, SiteLayout sites,
                                SplitRule split, FileBase base, DefinitionSource source) {

    public DatasetDefinition {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        description = orEmpty(description);
        licence = orEmpty(licence);
        citation = orEmpty(citation);
        url = orEmpty(url);
        columns = List.copyOf(columns);
        if (label == null || sites == null || split == null || base == null || source == null) {
            throw new IllegalArgumentException("definition '" + name + "': label, sites, split, base and source are required");
        }
        if (columns.stream().noneMatch(c -> c.role() == ColumnRole.FEATURE)) {
            throw new IllegalArgumentException("definition '" + name + "': columns must declare at least one feature");
        }
        Set<String> names = new HashSet<>();
        for (String c : allColumns(columns, label, sites, split)) {
            if (!names.add(c)) {
                throw new IllegalArgumentException("definition '" + name + "': column '" + c + "' is declared twice"
                        + " (columns, the label's columns and the site and split columns must all differ)");
            }
        }
        if (sites instanceof SiteLayout.SiteColumn c && c.lookup() != null && columns.stream().noneMatch(
                col -> col.name().equals(c.lookup().key()) && col.role() == ColumnRole.DROP)) {
            throw new IllegalArgumentException("definition '" + name + "': sites.lookup.key '" + c.lookup().key()
                    + "' must be declared in columns with role: drop (the data file's column the lookup file is read"
                    + " by)");
        }
        if (sites instanceof SiteLayout.Partitioned && !(split instanceof SplitRule.Fraction)) {
            throw new IllegalArgumentException("definition '" + name + "': a file split across simulated sites takes a"
                    + " fraction split (split.test_fraction), not a split column");
        }
        if (split instanceof SplitRule.Rows rows && listedSitesMismatch(sites, rows) != null) {
            throw new IllegalArgumentException(listedSitesMismatch(sites, rows));
        }
        if (split instanceof SplitRule.Files != (sites instanceof SiteLayout.FilePerSite f && f.separateTest())) {
            throw new IllegalArgumentException("definition '" + name + "': separate train and test files need every site"
                    + " to name 'train' and 'test' and no 'split'");
        }
    }

    /** Why {@code rows} does not list exactly the declared sites, or null when it does. */
    static String listedSitesMismatch(SiteLayout sites, SplitRule.Rows rows) {
        List<String> declared = switch (sites) {
            case SiteLayout.FilePerSite f -> f.sites().stream().map(SiteFiles::id).toList();
            case SiteLayout.SiteColumn c -> c.ids();
            case SiteLayout.Partitioned p -> List.of();
        };
        for (String site : rows.testRows().keySet()) {
            if (!declared.isEmpty() && !declared.contains(site)) {
                return "split.test_rows lists site '" + site + "', which is not one of the sites " + declared;
            }
        }
        for (String site : declared) {
            if (!rows.testRows().containsKey(site)) {
                return "split.test_rows does not list site '" + site + "'; every site needs its test rows";
            }
        }
        return null;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s.strip();
    }

    private static List<String> allColumns(List<ColumnDefinition> columns, LabelRule label, SiteLayout sites, SplitRule split) {
        List<String> out = new ArrayList<>(columns.stream().map(ColumnDefinition::name).toList());
        out.addAll(label.columns());
        if (sites instanceof SiteLayout.SiteColumn s) {
            out.add(s.column());
        }
        if (split instanceof SplitRule.Column c) {
            out.add(c.column());
        }
        return out;
    }

    /**
     * The schema rows are read with: the feature columns in order, the label, and as ignored columns the dropped ones,
     * the site and split columns and a survival label's event column.
     */
    public DatasetSchema schema() {
        List<FeatureSpec> features = columns.stream().filter(c -> c.role() == ColumnRole.FEATURE)
                .map(ColumnDefinition::feature).toList();
        List<String> ignore = new ArrayList<>(columns.stream().filter(c -> c.role() == ColumnRole.DROP)
                .map(ColumnDefinition::name).toList());
        keyColumns().forEach(ignore::add);
        return new DatasetSchema(features, ignore, label.spec());
    }

    /** The site column, the split column and a survival label's event column, those that apply, in that order. */
    public List<String> keyColumns() {
        List<String> keys = new ArrayList<>();
        if (sites instanceof SiteLayout.SiteColumn s) {
            keys.add(s.column());
        }
        if (split instanceof SplitRule.Column c) {
            keys.add(c.column());
        }
        if (label instanceof LabelRule.Survival s) {
            keys.add(s.event());
        }
        return keys;
    }

    /** Every file the definition names, in order. */
    public List<FileRef> files() {
        return sites.files();
    }

    /** 0 for a continuous target or survival, otherwise the number of classes. */
    public int classes() {
        return label.classes();
    }

    /** True when {@code nameOrAlias} names this dataset (case-insensitive). */
    public boolean answersTo(String nameOrAlias) {
        return name.equalsIgnoreCase(nameOrAlias) || aliases.stream().anyMatch(a -> a.equalsIgnoreCase(nameOrAlias));
    }

    /** True when the definition's one file is split across simulated sites. */
    public boolean partitioned() {
        return sites instanceof SiteLayout.Partitioned;
    }

    /**
     * How the rows' labels reach a model: a class index, a numeric target, or a survival label's time and event flag
     * ({@link LabelLayout#TIME_AND_EVENT}), which only a model trained for the survival objective (a Cox model) takes.
     */
    public LabelLayout labelLayout() {
        return switch (label) {
            case LabelRule.Survival s -> LabelLayout.TIME_AND_EVENT;
            case LabelRule.Continuous c -> LabelLayout.TARGET;
            case LabelRule.BinaryAbove b -> LabelLayout.CLASS_INDEX;
            case LabelRule.BinaryValues b -> LabelLayout.CLASS_INDEX;
            case LabelRule.MultiClass m -> LabelLayout.CLASS_INDEX;
        };
    }

    /** This definition with other columns (same label, sites and split). */
    public DatasetDefinition withColumns(List<ColumnDefinition> newColumns) {
        return new DatasetDefinition(name, aliases, description, licence, citation, url, newColumns, label, sites, split,
                base, source);
    }
}
