package org.fedmed.data.federated;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fedmed.core.LabeledData;
import org.fedmed.data.split.Split;
import org.fedmed.data.split.Splits;

/**
 * A federation's data, ready for training: one {@link SiteData} per site (unique ids, identical columns),
 * the SHA-256 of each source file, the shared encoded feature names, and the number of classes (0 for
 * regression). Sites never see each other's rows; the pooled views exist for centralised baselines.
 */
public record FederatedDataset(String name, List<SiteData> sites, Map<String, String> checksums,
                               List<String> featureNames, int classes) {

    public FederatedDataset {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("federated dataset field 'name' must not be blank");
        }
        if (sites == null || sites.isEmpty()) {
            throw new IllegalArgumentException("federated dataset '" + name + "': field 'sites' must hold at least one site");
        }
        sites = List.copyOf(sites);
        checksums = checksums == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(checksums));
        featureNames = List.copyOf(featureNames);
        var ids = new HashSet<String>();
        for (SiteData s : sites) {
            if (!ids.add(s.siteId())) {
                throw new IllegalArgumentException("federated dataset '" + name + "': site id '" + s.siteId() + "' repeats");
            }
            if (!s.train().featureNames().equals(featureNames) || s.train().classes() != classes) {
                throw new IllegalArgumentException("federated dataset '" + name + "': site '" + s.siteId()
                        + "' has columns or classes that differ from the dataset's");
            }
        }
    }

    /**
     * What a user should know about these data before trusting per-site results, one line per issue naming the
     * site: today, classification sites whose training rows hold a single class.
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        for (SiteData s : sites) {
            out.addAll(s.warnings());
        }
        return out;
    }

    /** The site with this id. */
    public SiteData site(String siteId) {
        return sites.stream().filter(s -> s.siteId().equals(siteId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no site '" + siteId + "' in " + name + "; sites: "
                        + sites.stream().map(SiteData::siteId).toList()));
    }

    /** How the sites' labels are laid out (the same at every site): class index, target, or time and event. */
    public org.fedmed.core.objective.LabelLayout labelLayout() {
        return sites.getFirst().train().layout();
    }

    /** Site ids in order. */
    public List<String> siteIds() {
        return sites.stream().map(SiteData::siteId).toList();
    }

    /** All sites' training rows stacked, for a centralised baseline. */
    public LabeledData pooledTrain() {
        return LabeledData.concat(sites.stream().map(SiteData::train).toList());
    }

    /** All sites' held-out rows stacked. */
    public LabeledData pooledTest() {
        return LabeledData.concat(sites.stream().map(SiteData::test).toList());
    }

    /**
     * A federation for hyperparameter tuning: each site's training rows are split again, stratified and
     * seeded, into a smaller training part and a validation part, which takes the place of the test rows.
     * The original test rows are not used. Preprocessing statistics stay those fitted on the full training
     * rows, so no test row influences them.
     *
     * Survival rows are stratified by their event flag, so that events and censored rows keep their shares.
     * A site whose remaining training rows hold one class stays in, with a warning in {@link #warnings()}.
     */
    public FederatedDataset validationSplit(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must lie in (0, 1), got " + fraction);
        }
        SplittableRandom seeds = new SplittableRandom(seed);
        List<SiteData> out = new ArrayList<>();
        for (SiteData s : sites) {
            LabeledData train = s.train();
            Split split = train.layout() == org.fedmed.core.objective.LabelLayout.TIME_AND_EVENT
                    ? Splits.stratifiedByLabel(eventFlags(train), 2, fraction, seeds.nextLong())
                    : Splits.stratifiedByLabel(train.labels(), classes, fraction, seeds.nextLong());
            LabeledData fit = train.select(split.train());
            SiteChecks.requireRows(s.siteId(), fit.rows(), "after carving the validation split");
            out.add(new SiteData(s.siteId(), fit, train.select(split.test()), s.quality(), s.preprocessor()));
        }
        return new FederatedDataset(name, out, checksums, featureNames, classes);
    }

    /** Each row's event flag (1 event, 0 censored) of time-and-event labels: the strata of a survival split. */
    private static float[] eventFlags(LabeledData data) {
        float[] e = new float[data.rows()];
        for (int r = 0; r < e.length; r++) {
            e[r] = data.labels()[2 * r + 1];
        }
        return e;
    }
}
