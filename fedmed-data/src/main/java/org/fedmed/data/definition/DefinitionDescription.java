package org.fedmed.data.definition;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fedmed.data.schema.ColumnType;

/** A definition as text for {@code fedmed datasets describe}: what it is, its columns, label, sites and split. */
public final class DefinitionDescription {

    private DefinitionDescription() {
    }

    /** The definition's columns, label, sites and split, one item per line. */
    public static String render(DatasetDefinition def) {
        StringBuilder out = new StringBuilder();
        out.append("dataset ").append(def.name()).append(def.aliases().isEmpty() ? "" : " (also " + String.join(", ",
                def.aliases()) + ")").append('\n');
        out.append("defined in ").append(def.source().name()).append('\n');
        line(out, "description", def.description());
        line(out, "licence", def.licence());
        line(out, "citation", def.citation());
        line(out, "url", def.url());
        out.append("files are read from ").append(switch (def.base()) {
            case FileBase.Folder f -> f.folder().toString();
            case FileBase.DataRoots r -> "<FEDMED_DATA or ~/.cache/fedmed>/" + r.folder() + "/";
        }).append('\n');
        int width = Math.max(6, def.columns().stream().mapToInt(c -> c.name().length()).max().orElse(6));
        out.append("columns:\n");
        out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-8s  %-11s  %s%n", "name", "role", "type",
                "levels / missing markers"));
        for (ColumnDefinition c : def.columns()) {
            List<String> extra = new ArrayList<>();
            if (!c.levels().isEmpty() && c.type() != null) {
                extra.add("levels " + c.levels());
            }
            if (!c.missing().isEmpty()) {
                extra.add("missing " + c.missing());
            }
            if (c.missingIndicator()) {
                extra.add("always an indicator column");
            }
            out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-8s  %-11s  %s%n", c.name(),
                    c.role().name().toLowerCase(Locale.ROOT),
                    c.type() == null ? "-" : c.type().name().toLowerCase(Locale.ROOT), String.join("; ", extra)).stripTrailing())
                    .append('\n');
        }
        long inputs = def.columns().stream().filter(c -> c.role() == ColumnRole.FEATURE)
                .mapToLong(c -> c.type() == ColumnType.CATEGORICAL ? c.levels().size() : 1).sum();
        out.append("model inputs (before missing-value indicators): ").append(inputs).append('\n');
        out.append("label: ").append(def.label().describe()).append('\n');
        out.append("sites: ").append(switch (def.sites()) {
            case SiteLayout.FilePerSite f -> {
                List<String> parts = new ArrayList<>();
                for (SiteFiles s : f.sites()) {
                    parts.add(s.id() + " (" + (s.separateTest() ? "train " + s.train().path() + ", test " + s.test().path()
                            : s.file().path()) + ")");
                }
                yield f.sites().size() + ", one file each: " + String.join(", ", parts);
            }
            case SiteLayout.SiteColumn c -> "one file " + c.file().path() + ", site in column '" + c.column() + "'"
                    + (c.ids().isEmpty() ? "" : ", sites " + c.ids());
            case SiteLayout.Partitioned p -> "one file " + p.file().path() + ", split across simulated sites by "
                    + (p.partition() == null ? "the run's partition settings (sites, partition, alpha)"
                    : p.partition().kind().name().toLowerCase(Locale.ROOT) + " into " + p.partition().sites() + " sites"
                    + " (alpha " + p.partition().alpha() + ")");
        }).append('\n');
        out.append("split: ").append(switch (def.split()) {
            case SplitRule.Fraction f -> "seeded stratified fraction, test share "
                    + (f.testFraction() == null ? "the run's test_fraction" : f.testFraction()) + ", seed "
                    + (f.seed() == null ? "the run's seed" : f.seed());
            case SplitRule.Column c -> "column '" + c.column() + "': train " + c.train() + ", test " + c.test();
            case SplitRule.Files f -> "separate train and test files per site";
            case SplitRule.Rows r -> "listed test rows: " + String.join(", ", r.testRows().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue().size()).toList());
        }).append('\n');
        return out.toString();
    }

    private static void line(StringBuilder out, String key, String value) {
        if (!value.isBlank()) {
            out.append(key).append(": ").append(value).append('\n');
        }
    }
}
