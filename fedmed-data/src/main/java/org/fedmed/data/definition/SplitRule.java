package org.fedmed.data.definition;

import java.util.List;

/**
 * How each site's rows divide into training and test rows: a seeded stratified fraction, a split column whose
 * values say which rows are for testing, or separate training and test files per site.
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

    /** Every site names its own training and test files. */
    record Files() implements SplitRule {
    }
}
