package org.fedmed.data.definition;

import java.util.List;
import java.util.Map;

/**
 * How each site's rows divide into training and test rows: a seeded stratified fraction, a split column whose
 * values say which rows are for testing, a list of each site's test rows, or separate training and test files per
 * site.
 */
public sealed interface SplitRule {

    /**
     * A seeded stratified share of each site's rows held out for testing. A null {@code testFraction} or {@code seed}
     * means the run's own {@code test_fraction} or {@code seed}.
     */
    record Fraction(Double testFraction, Long seed) implements SplitRule {
        public Fraction {
            if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
                throw new IllegalArgumentException("split.test_fraction must lie in (0, 1), got " + testFraction);
            }
        }
    }

    /** {@code column} holds one of {@code train} for a training row and one of {@code test} for a test row. */
    record Column(String column, List<String> train, List<String> test) implements SplitRule {
        public Column {
            if (column == null || column.isBlank()) {
                throw new IllegalArgumentException("split.column must name the split column");
            }
            train = List.copyOf(train);
            test = List.copyOf(test);
            if (train.isEmpty() || test.isEmpty()) {
                throw new IllegalArgumentException("split.train and split.test must each list at least one value");
            }
            for (String v : test) {
                if (org.fedmed.data.schema.Levels.indexOf(train, v) >= 0) {
                    throw new IllegalArgumentException("split value '" + v + "' is listed under both train and test");
                }
            }
        }
    }

    /**
     * The listed rows of each site are its test rows and every other row a training row: the split a published
     * benchmark fixed, written down. A row is its 0-based index among the data rows of the file that holds it (the
     * first row after the header is 0), counted before any row is dropped for missing values. Every site of the
     * definition must be listed, each with at least one row.
     */
    record Rows(Map<String, List<Integer>> testRows) implements SplitRule {
        public Rows {
            if (testRows == null || testRows.isEmpty()) {
                throw new IllegalArgumentException("split.test_rows must list the test rows of every site");
            }
            Map<String, List<Integer>> copy = new java.util.LinkedHashMap<>();
            testRows.forEach((site, rows) -> {
                if (rows == null || rows.isEmpty()) {
                    throw new IllegalArgumentException("split.test_rows." + site + " must list at least one row");
                }
                if (rows.stream().anyMatch(r -> r == null || r < 0)) {
                    throw new IllegalArgumentException("split.test_rows." + site + " lists a negative row; rows count"
                            + " from 0, the first row after the header");
                }
                if (new java.util.HashSet<>(rows).size() != rows.size()) {
                    throw new IllegalArgumentException("split.test_rows." + site + " lists a row twice");
                }
                copy.put(site, List.copyOf(rows));
            });
            testRows = java.util.Collections.unmodifiableMap(copy);
        }
    }

    /** Every site names its own training and test files. */
    record Files() implements SplitRule {
    }
}
