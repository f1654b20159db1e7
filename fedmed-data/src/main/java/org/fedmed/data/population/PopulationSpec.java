package org.fedmed.data.population;

import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.OptionalDouble;
import org.fedmed.data.prep.Clipping;
import org.fedmed.data.prep.ConstantFill;
import org.fedmed.data.prep.MissingPolicy;
import org.fedmed.data.prep.OneHot;
import org.fedmed.data.prep.PreprocessOptions;
import org.fedmed.data.prep.StandardDeviation;
import org.fedmed.data.prep.StatsMode;

/**
 * Everything a population is made from, small and immutable, so that it travels to another JVM (it is
 * {@link Serializable}) and {@link Population#open opens} there as the same population: how sites get their rows
 * ({@code generator}), how many sites there are ({@code size}, site indices 0..size-1), the run seed every site's
 * draw derives from, the share of each site's rows held out for testing, how many regions the sites fall into and
 * by which rule, and how rows drawn from a base dataset are preprocessed (ignored by the wearable generator).
 *
 * <p>Two equal specs open as populations whose every site's data is identical, in any JVM and in any order.
 */
public record PopulationSpec(SiteGenerator generator, long size, long seed, double testFraction, int regions,
                             RegionRule regionRule, PreprocessOptions preprocessing) implements Serializable {

    /** The largest population: site indices and region arithmetic stay well inside a long. */
    public static final long MAX_SIZE = 1_000_000_000_000L;
    /** The most regions. */
    public static final int MAX_REGIONS = 1_000_000;

    public PopulationSpec {
        if (generator == null) {
            throw new IllegalArgumentException("population field 'generator' is required");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("population field 'size' must lie in [1, " + MAX_SIZE + "], got " + size);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("population field 'testFraction' must lie in (0, 1), got " + testFraction);
        }
        if (regions < 1 || regions > MAX_REGIONS || regions > size) {
            throw new IllegalArgumentException("population field 'regions' must lie in [1, min(size " + size + ", "
                    + MAX_REGIONS + ")], got " + regions);
        }
        if (regionRule == null || preprocessing == null) {
            throw new IllegalArgumentException("population fields 'regionRule' and 'preprocessing' are required");
        }
    }

    /** A population of {@code size} sites in one region, test fraction 0.25, default preprocessing. */
    public static PopulationSpec of(SiteGenerator generator, long size, long seed) {
        return new PopulationSpec(generator, size, seed, 0.25, 1, RegionRule.BLOCKS, PreprocessOptions.defaults());
    }

    /** This spec with another size. */
    public PopulationSpec withSize(long n) {
        return new PopulationSpec(generator, n, seed, testFraction, regions, regionRule, preprocessing);
    }

    /** This spec with another run seed. */
    public PopulationSpec withSeed(long s) {
        return new PopulationSpec(generator, size, s, testFraction, regions, regionRule, preprocessing);
    }

    /** This spec with another held-out share. */
    public PopulationSpec withTestFraction(double f) {
        return new PopulationSpec(generator, size, seed, f, regions, regionRule, preprocessing);
    }

    /** This spec with {@code n} regions assigned by {@code rule}. */
    public PopulationSpec withRegions(int n, RegionRule rule) {
        return new PopulationSpec(generator, size, seed, testFraction, n, rule, preprocessing);
    }

    /** This spec with other preprocessing. */
    public PopulationSpec withPreprocessing(PreprocessOptions p) {
        return new PopulationSpec(generator, size, seed, testFraction, regions, regionRule, p);
    }

    /** This spec with another generator. */
    public PopulationSpec withGenerator(SiteGenerator g) {
        return new PopulationSpec(g, size, seed, testFraction, regions, regionRule, preprocessing);
    }

    @Serial
    private Object writeReplace() {
        return new SerialForm(this);
    }

    /**
     * The serialized shape of a spec: the preprocessing options (whose types are not serializable) as plain fields;
     * read back through the validating constructors.
     */
    private record SerialForm(SiteGenerator generator, long size, long seed, double testFraction, int regions,
                              RegionRule regionRule, MissingPolicy missing, Double fillAll,
                              LinkedHashMap<String, Double> fillColumns, boolean indicators, OneHot oneHot,
                              boolean standardize, StandardDeviation sd, double[] clip, StatsMode stats,
                              int histogramBins) implements Serializable {

        SerialForm(PopulationSpec s) {
            this(s.generator, s.size, s.seed, s.testFraction, s.regions, s.regionRule, s.preprocessing.missing(),
                    s.preprocessing.fill().all().isPresent() ? s.preprocessing.fill().all().getAsDouble() : null,
                    new LinkedHashMap<>(s.preprocessing.fill().columns()), s.preprocessing.indicators(),
                    s.preprocessing.oneHot(), s.preprocessing.standardize(), s.preprocessing.sd(),
                    s.preprocessing.clip() instanceof Clipping.AtQuantiles q ? new double[] {q.lower(), q.upper()} : null,
                    s.preprocessing.stats(), s.preprocessing.histogramBins());
        }

        @Serial
        private Object readResolve() {
            ConstantFill fill = new ConstantFill(fillAll == null ? OptionalDouble.empty() : OptionalDouble.of(fillAll),
                    fillColumns);
            Clipping clipping = clip == null ? Clipping.NONE : new Clipping.AtQuantiles(clip[0], clip[1]);
            return new PopulationSpec(generator, size, seed, testFraction, regions, regionRule, new PreprocessOptions(
                    missing, fill, indicators, oneHot, standardize, sd, clipping, stats, histogramBins));
        }
    }
}
