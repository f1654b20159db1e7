package org.fedmed.core.engine;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.fedmed.core.strategy.InfluenceLimits;

/**
 * The round engine's intake rules for what a site claims, kept for a whole run: the example count each site
 * committed to with its first fit result and its first evaluation of the run, and the checks every later answer
 * must pass before any of its numbers is used. An answer is refused when it rests on fewer than {@code minRows}
 * rows (no statistic on a tiny cohort is kept), or when it claims more than {@code maxCountGrowth} times the
 * site's commitment for that kind of task. The same object decides in simulation and in deployment; a resumed run
 * {@linkplain #restore restores} the commitments from its recorded rounds, so a restart does not reset them.
 * Not thread-safe: the engine calls it from its own thread.
 */
public final class SiteCommitments {

    /** Which answer a claim came with. */
    public enum Kind { FIT, EVALUATE }

    private final InfluenceLimits limits;
    private final long minRows;
    private final Map<String, Claim> fit = new HashMap<>();
    private final Map<String, Claim> evaluate = new HashMap<>();

    private record Claim(long examples, int round) {
    }

    public SiteCommitments(InfluenceLimits limits, long minRows) {
        if (limits == null || minRows < 1) {
            throw new IllegalArgumentException("influence limits are required and min_rows must be >= 1, got "
                    + limits + ", " + minRows);
        }
        this.limits = limits;
        this.minRows = minRows;
    }

    /** Replays one recorded round's claims, as if its answers had just arrived (for a resumed run). */
    public void restore(RoundRecord record) {
        record.fitClaims().forEach((site, n) -> fit.putIfAbsent(site, new Claim(n, record.round())));
        record.evalClaims().forEach((site, n) -> evaluate.putIfAbsent(site, new Claim(n, record.round())));
    }

    /**
     * Checks a claim of {@code examples} examples by {@code site} in {@code round}; the site's first claim of a
     * kind becomes its commitment, whether or not it passes. Returns why the answer is refused, or empty.
     */
    public Optional<String> check(Kind kind, String site, int round, long examples) {
        Map<String, Claim> commitments = kind == Kind.FIT ? fit : evaluate;
        Claim committed = commitments.putIfAbsent(site, new Claim(examples, round));
        return refusal(kind, site, examples, minRows, limits.maxCountGrowth(), committed);
    }

    private static Optional<String> refusal(Kind kind, String site, long examples, long minRows, double maxCountGrowth,
                                            Claim committed) {
        String what = kind == Kind.FIT ? "trained on" : "evaluated on";
        if (examples < minRows) {
            return Optional.of("site '" + site + "' " + what + " " + examples + " row(s), fewer than min_rows "
                    + minRows + "; none of its numbers is kept");
        }
        if (committed != null && examples > maxCountGrowth * committed.examples()) {
            return Optional.of("site '" + site + "' claims " + examples + " examples " + (kind == Kind.FIT
                    ? "trained on" : "evaluated on") + ", more than max_count_growth " + maxCountGrowth
                    + " times the " + committed.examples() + " it committed to in round " + committed.round()
                    + "; its " + (kind == Kind.FIT ? "update" : "evaluation") + " is rejected");
        }
        return Optional.empty();
    }

    /**
     * The checks of {@link #check} for {@code sites} as their commitments stand now, to be made where the sites
     * answer (inside a Spark task, before an update is folded) without recording anything: for a site that claims
     * once in the round, {@link Admission#check} gives exactly the verdict that {@code check} then gives here.
     */
    public Admission admission(Kind kind, java.util.Collection<String> sites) {
        Map<String, Claim> commitments = kind == Kind.FIT ? fit : evaluate;
        Map<String, Long> examples = new HashMap<>();
        Map<String, Integer> rounds = new HashMap<>();
        for (String site : sites) {
            Claim c = commitments.get(site);
            if (c != null) {
                examples.put(site, c.examples());
                rounds.put(site, c.round());
            }
        }
        return new Admission(kind, minRows, limits.maxCountGrowth(), examples, rounds);
    }

    /**
     * A snapshot of some sites' commitments and the rules they are checked by; serializable, records nothing.
     *
     * @param committed the count each site committed to, for the sites that had claimed before
     * @param rounds    the round of each of those commitments
     */
    public record Admission(Kind kind, long minRows, double maxCountGrowth, Map<String, Long> committed,
                            Map<String, Integer> rounds) implements java.io.Serializable {
        public Admission {
            committed = Map.copyOf(committed);
            rounds = Map.copyOf(rounds);
            if (!committed.keySet().equals(rounds.keySet())) {
                throw new IllegalArgumentException("admission: committed counts for " + committed.keySet()
                        + " but rounds for " + rounds.keySet());
            }
        }

        /** Why a claim of {@code examples} by {@code site} is refused, or empty: the words of {@link #check}. */
        public Optional<String> check(String site, long examples) {
            Long n = committed.get(site);
            return refusal(kind, site, examples, minRows, maxCountGrowth, n == null ? null : new Claim(n, rounds.get(site)));
        }
    }

    /** The count a site committed to for a kind of task, if it made a claim yet. */
    public Optional<Long> commitment(Kind kind, String site) {
        Claim c = (kind == Kind.FIT ? fit : evaluate).get(site);
        return c == null ? Optional.empty() : Optional.of(c.examples());
    }
}
