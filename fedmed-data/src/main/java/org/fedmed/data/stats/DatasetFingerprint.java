package org.fedmed.data.stats;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.fedmed.data.schema.DatasetSchema;
import org.fedmed.data.schema.FeatureSpec;
import org.fedmed.data.schema.LabelSpec;

/**
 * The fingerprint of a dataset definition, which a deployed site reports when it joins and the server compares with
 * its own: one canonical description per column, and the SHA-256 of them all. Two schemas have the same fingerprint
 * exactly when every column has the same name, position, role, type, levels (in order), missing markers and indicator,
 * and the label has the same column and rule; file names, checksums and site lists are not part of it. Because the
 * descriptions travel with the hash, a server that finds a difference can name the first column that differs.
 *
 * <p>Canonical form: features in schema order as {@code feature <name> <type> missing=[<markers>] indicator=<b>}
 * (type {@code numeric} or {@code integer}) or {@code feature <name> <type> levels=[<l1>|<l2>|...]
 * missing=[<markers>] indicator=<b>} (type {@code binary} or {@code categorical}), markers and levels in declared
 * order joined by {@code |}, then the ignored columns as {@code ignored <name>}, then
 * {@code label <column> <kind> <rule>}; the hash is SHA-256 over the lines, each ended
 * by a newline, in UTF-8, written as 64 lowercase hex digits.
 *
 * @param columns one entry per column, in canonical order
 * @param sha256  the hash of the canonical descriptions
 */
public record DatasetFingerprint(List<Column> columns, String sha256) {

    /** One column's name and its canonical description. */
    public record Column(String name, String description) {
        public Column {
            if (name == null || name.isBlank() || description == null || description.isBlank()) {
                throw new IllegalArgumentException("fingerprint column fields 'name' and 'description' are required");
            }
        }
    }

    public DatasetFingerprint {
        columns = List.copyOf(columns);
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("fingerprint field 'sha256' must be 64 lowercase hex digits, got " + sha256);
        }
    }

    /** The fingerprint of {@code schema}. */
    public static DatasetFingerprint of(DatasetSchema schema) {
        List<Column> cols = new ArrayList<>();
        for (FeatureSpec f : schema.features()) {
            String levels = f.levels().isEmpty() ? "" : " levels=[" + String.join("|", f.levels()) + "]";
            cols.add(new Column(f.name(), "feature " + f.name() + " " + f.type().name().toLowerCase(Locale.ROOT) + levels
                    + " missing=[" + String.join("|", f.missing()) + "] indicator=" + f.missingIndicator()));
        }
        for (String ignored : schema.ignore()) {
            cols.add(new Column(ignored, "ignored " + ignored));
        }
        LabelSpec l = schema.label();
        String rule = switch (l.kind()) {
            case THRESHOLD -> "> " + l.threshold();
            case MAPPING, POSITIVE_VALUES -> l.mapping().toString();
            case REGRESSION -> "target";
        };
        cols.add(new Column(l.column(), "label " + l.column() + " " + l.kind().name().toLowerCase(Locale.ROOT) + " " + rule));
        return of(cols);
    }

    /** The fingerprint of these canonical column descriptions (as a site reports them). */
    public static DatasetFingerprint of(List<Column> columns) {
        return new DatasetFingerprint(columns, hash(columns));
    }

    /** Whether the hash is the hash of the descriptions (a site could send one without the other). */
    public boolean consistent() {
        return hash(columns).equals(sha256);
    }

    /**
     * Why {@code other} (a site's) differs from this (the server's) fingerprint, naming the first column that
     * differs, or empty when they are equal.
     */
    public Optional<String> firstDifference(DatasetFingerprint other) {
        if (!other.consistent()) {
            return Optional.of("its definition fingerprint " + other.sha256 + " is not the SHA-256 of the column"
                    + " descriptions it sent");
        }
        if (sha256.equals(other.sha256)) {
            return Optional.empty();
        }
        int n = Math.min(columns.size(), other.columns.size());
        for (int i = 0; i < n; i++) {
            Column mine = columns.get(i);
            Column theirs = other.columns.get(i);
            if (!mine.description().equals(theirs.description())) {
                return Optional.of("its dataset definition differs at column " + (i + 1) + " '" + mine.name()
                        + "': the server has '" + mine.description() + "', the site has '" + theirs.description() + "'");
            }
        }
        if (columns.size() > n) {
            return Optional.of("its dataset definition lacks column " + (n + 1) + " '" + columns.get(n).name()
                    + "' (the server has '" + columns.get(n).description() + "')");
        }
        return Optional.of("its dataset definition has an extra column " + (n + 1) + " '" + other.columns.get(n).name()
                + "' ('" + other.columns.get(n).description() + "') that the server's does not have");
    }

    private static String hash(List<Column> columns) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Column c : columns) {
                sha.update((c.description() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
