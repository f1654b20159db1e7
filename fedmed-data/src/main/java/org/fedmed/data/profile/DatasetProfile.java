package org.fedmed.data.profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fedmed.data.stats.SmallCells;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.SplitRule;
import org.fedmed.data.schema.ColumnType;

/**
 * The result of validating a definition's files: every file fits (or validation would have failed), the SHA-256 of
 * each, and a {@link SiteProfile} per site. {@link #render(int)} prints it with small-cell suppression: every count
 * below {@code k} is shown as {@code <k}.
 */
public record DatasetProfile(DatasetDefinition definition, Map<String, Path> files, Map<String, String> checksums,
                             List<SiteProfile> sites) {

    public DatasetProfile {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
        checksums = Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
        sites = List.copyOf(sites);
    }

    /** The profile of site {@code id}. */
    public SiteProfile site(String id) {
        return sites.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site '" + id + "'; sites: "
                        + sites.stream().map(SiteProfile::id).toList()));
    }

    /** Total rows over all sites. */
    public long rows() {
        return sites.stream().mapToLong(SiteProfile::rows).sum();
    }

    /** A count as printed: {@code <k} when from 1 to k-1, else the number (0 names no one; see {@link SmallCells}). */
    public static String count(long n, int k) {
        return SmallCells.releasable(n, k) ? Long.toString(n) : "<" + k;
    }

    /**
     * The cells of one line whose total is printed (train and test rows, class counts, a column's levels and its
     * missing cells), suppressed by {@link SmallCells#suppressLine}: no cell from 1 to k-1 is shown, nor any that the
     * total minus the shown cells would give back (shown as {@code *}).
     */
    private static String[] line(long[] cells, int k) {
        long[] kept = SmallCells.suppressLine(cells, k);
        String[] out = new String[kept.length];
        for (int i = 0; i < kept.length; i++) {
            out[i] = kept[i] == SmallCells.SUPPRESSED ? "*" : Long.toString(kept[i]);
        }
        for (int i = 0; i < kept.length; i++) {
            if (kept[i] == SmallCells.SUPPRESSED && !SmallCells.releasable(cells[i], k)) {
                out[i] = "<" + k;
            }
        }
        return out;
    }

    /** The profile as text, every count below {@code k} printed as {@code <k}. */
    public String render(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        StringBuilder out = new StringBuilder();
        DatasetDefinition def = definition;
        out.append("dataset ").append(def.name()).append(" (").append(def.source().name()).append("): ")
                .append(sites.size()).append(sites.size() == 1 ? " site" : " sites").append(", label ")
                .append(def.label().describe()).append('\n');
        out.append("files:\n");
        for (Map.Entry<String, Path> f : files.entrySet()) {
            out.append("  ").append(f.getValue()).append("  sha256 ").append(checksums.get(f.getKey())).append('\n');
        }
        out.append("counts from 1 to ").append(k - 1).append(" are shown as <").append(k)
                .append("; a count its line's total would give back is shown as *\n");
        for (SiteProfile s : sites) {
            renderSite(out, s, k);
        }
        out.append("ok: every file fits the definition (").append(count(rows(), k)).append(" rows)\n");
        return out.toString();
    }

    private void renderSite(StringBuilder out, SiteProfile s, int k) {
        out.append('\n').append("site ").append(s.id()).append(": ").append(count(s.rows(), k)).append(" rows");
        if (!(definition.split() instanceof SplitRule.Fraction)) {
            String[] split = line(new long[] {s.trainRows(), s.testRows()}, k);
            out.append(" (train ").append(split[0]).append(", test ").append(split[1]).append(')');
        }
        out.append(" from ").append(String.join(", ", s.sources())).append('\n');
        long[] classes = s.classCounts();
        if (classes.length > 0) {
            List<String> names = definition.label().classNames();
            List<String> parts = new ArrayList<>();
            String[] shown = line(classes, k);
            for (int c = 0; c < classes.length; c++) {
                parts.add(names.get(c) + ": " + shown[c]);
            }
            out.append("  class balance: ").append(String.join(", ", parts)).append('\n');
        } else if (s.events() + s.censored() > 0) {
            String[] shown = line(new long[] {s.events(), s.censored()}, k);
            out.append("  events: ").append(shown[0]).append(", censored: ").append(shown[1])
                    .append(", time ").append(num(s.labelMin())).append(" to ").append(num(s.labelMax())).append('\n');
        } else if (s.rows() > 0) {
            out.append("  label range: ").append(num(s.labelMin())).append(" to ").append(num(s.labelMax())).append('\n');
        }
        int width = Math.max(6, s.columns().stream().mapToInt(c -> c.spec().name().length()).max().orElse(6));
        out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-11s  %8s  %12s  %12s  %8s%n", "column", "type",
                "missing", "min", "max", "extreme"));
        List<String> empty = new ArrayList<>();
        for (ColumnProfile c : s.columns()) {
            String type = c.spec().type().name().toLowerCase(Locale.ROOT);
            if (c.empty()) {
                empty.add(c.spec().name());
            }
            boolean levels = c.spec().type() == ColumnType.CATEGORICAL || c.spec().type() == ColumnType.BINARY;
            if (levels) {
                long[] counts = c.levelCounts();
                long[] cells = java.util.Arrays.copyOf(counts, counts.length + 1);
                cells[counts.length] = c.missing();
                String[] shown = line(cells, k);
                List<String> parts = new ArrayList<>();
                for (int i = 0; i < counts.length; i++) {
                    parts.add(c.spec().levels().get(i) + ": " + shown[i]);
                }
                out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-11s  %8s  levels %s%n", c.spec().name(), type,
                        shown[counts.length], String.join(", ", parts)));
            } else {
                out.append(String.format(Locale.ROOT, "  %-" + width + "s  %-11s  %8s  %12s  %12s  %8s%n", c.spec().name(),
                        type, count(c.missing(), k), num(c.min()), num(c.max()), count(c.extreme(), k)));
            }
        }
        out.append("  entirely empty columns: ").append(empty.isEmpty() ? "none" : String.join(", ", empty)).append('\n');
    }

    private static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return Long.toString((long) v);
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
