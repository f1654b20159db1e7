package org.fedmed.data.population;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedmed.data.csv.RawTable;
import org.fedmed.data.definition.DatasetDefinition;
import org.fedmed.data.definition.FileBase;
import org.fedmed.data.federated.FederatedDatasets;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.Preprocessing;
import org.fedmed.data.prep.Preprocessor;
import org.fedmed.data.registry.DatasetRegistry;
import org.fedmed.data.registry.ResolvedDataset;
import org.fedmed.data.registry.Sha256;

/**
 * A base dataset's pooled rows, read once per JVM and shared by every population drawn from it: the rows (complete
 * rows only under {@link MissingPolicy#DROP}), their row indices by class, and the preprocessor fitted on the whole
 * pool (the statistics a population's sites would merge if every site took part). Read-only once built; a bounded
 * cache keeps the {@value #CACHED} most recently opened.
 */
final class BasePool {

    /** Pools kept per JVM. */
    static final int CACHED = 4;

    private static final Map<Key, BasePool> CACHE = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, BasePool> eldest) {
            return size() > CACHED;
        }
    };

    private record Key(String dataset, List<Path> roots, PreprocessOptions preprocessing) {
    }

    final DatasetDefinition definition;
    final RawTable rows;
    final int[][] byClass;
    final Preprocessor pooled;
    final Map<String, String> checksums;

    private BasePool(DatasetDefinition definition, RawTable rows, Preprocessor pooled, Map<String, String> checksums) {
        this.definition = definition;
        this.rows = rows;
        this.pooled = pooled;
        this.checksums = Map.copyOf(checksums);
        int classes = rows.classes();
        int[] counts = new int[Math.max(1, classes)];
        int[] strata = rows.strata();
        for (int s : strata) {
            counts[s]++;
        }
        byClass = new int[counts.length][];
        for (int c = 0; c < counts.length; c++) {
            byClass[c] = new int[counts[c]];
        }
        int[] fill = new int[counts.length];
        for (int r = 0; r < strata.length; r++) {
            byClass[strata[r]][fill[strata[r]]++] = r;
        }
    }

    /** The pool of {@code dataset} as {@code registry} finds it, preprocessed with {@code options}; cached. */
    static BasePool of(String dataset, DatasetRegistry registry, PreprocessOptions options) {
        Key key = new Key(dataset, registry.searchRoots(), options);
        synchronized (CACHE) {
            BasePool cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        BasePool built = load(dataset, registry, options);
        synchronized (CACHE) {
            return CACHE.computeIfAbsent(key, k -> built);
        }
    }

    /** Drops every cached pool, so the next open reads its dataset again (for tests of reproducibility). */
    static void forget() {
        synchronized (CACHE) {
            CACHE.clear();
        }
    }

    private static BasePool load(String dataset, DatasetRegistry registry, PreprocessOptions options) {
        DatasetDefinition def = registry.definition(dataset);
        ResolvedDataset resolved = registry.resolve(def);
        RawTable all = FederatedDatasets.pooledRows(resolved);
        if (all.survival()) {
            throw new IllegalArgumentException("population dataset '" + dataset + "' has a survival label; a population"
                    + " draws classification or regression rows only");
        }
        RawTable usable = options.missing() == MissingPolicy.DROP ? all.completeRows() : all;
        if (usable.rows() == 0) {
            throw new IllegalArgumentException("population dataset '" + dataset + "' has no rows" + (usable != all
                    ? " left after dropping rows with missing values (policy DROP); choose MEAN or MEDIAN imputation" : ""));
        }
        Preprocessor prep = Preprocessing.fit(List.of(usable), options).getFirst();
        Map<String, String> checksums = new LinkedHashMap<>(resolved.checksums());
        if (def.base() instanceof FileBase.Folder) {
            checksums.put(def.source().name(), Sha256.of(def.source().text().getBytes(StandardCharsets.UTF_8)));
        }
        return new BasePool(def, usable, prep, checksums);
    }
}
