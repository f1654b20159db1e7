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
        String what = kind == Kind.FIT ? "trained on" : "evaluated on";
        if (examples < minRows) {
            return Optional.of("site '" + site + "' " + what + " " + examples + " row(s), fewer than min_rows "
                    + minRows + "; none of its numbers is kept");
        }
        if (committed != null && examples > limits.maxCountGrowth() * committed.examples()) {
            return Optional.of("site '" + site + "' claims " + examples + " examples " + (kind == Kind.FIT
                    ? "trained on" : "evaluated on") + ", more than max_count_growth " + limits.maxCountGrowth()
                    + " times the " + committed.examples() + " it committed to in round " + committed.round()
                    + "; its " + (kind == Kind.FIT ? "update" : "evaluation") + " is rejected");
        }
        return Optional.empty();
    }

    /** The count a site committed to for a kind of task, if it made a claim yet. */
    public Optional<Long> commitment(Kind kind, String site) {
        Claim c = (kind == Kind.FIT ? fit : evaluate).get(site);
        return c == null ? Optional.empty() : Optional.of(c.examples());
    }
}
