package org.fedmed.ml;

import java.util.List;

/** The raw shape of a dense spec file as Jackson binds it: every field optional, enum values still strings. */
record DenseSpecDocument(String type, List<Integer> hidden, Double dropout, String loss, Double l2,
                         OptimizerDocument optimizer, String init) {

    static final List<String> KEYS = List.of("type", "hidden", "dropout", "loss", "l2", "optimizer", "init");

    /** The raw optimizer block. */
    record OptimizerDocument(String type, Double momentum, Double beta1, Double beta2, Double epsilon) {
        static final List<String> KEYS = List.of("type", "momentum", "beta1", "beta2", "epsilon");
    }
}
