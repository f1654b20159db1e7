package org.fedmed.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The one place a run's random seeds come from. Every random choice a run makes belongs to a named {@link Stream};
 * its seed is a function of the run seed, the stream, and (as the stream's {@link Scope} says) the site id and the
 * round, nothing else. So simulation and deployment, which call the same methods with the same inputs, give a site
 * the same split, the same batches and the same noise, and two streams never share a seed by accident.
 *
 * <p>The derivation, fixed so that other tools can reproduce it: the seed is the first 8 bytes, read big-endian as
 * a signed 64-bit integer, of the SHA-256 digest of
 * <pre>
 *   runSeed     8 bytes, big-endian two's complement
 *   len(name)   4 bytes, big-endian, then the stream's {@code name()} in UTF-8 (for example {@code SITE_SPLIT})
 *   len(site)   4 bytes, big-endian, then the site id in UTF-8 (no bytes for a stream without a site)
 *   round       8 bytes, big-endian (0 for a stream without a round; rounds number from 1)
 * </pre>
 * The length prefixes make the encoding unambiguous, so distinct inputs give distinct digests. Changing this
 * derivation changes every run's results; it is versioned by this javadoc and by {@code SeedsTest}'s literals.
 *
 * <p>{@link #substream} spreads a seed already taken from here over keys (a noise source's per-round draws, say).
 */
public final class Seeds {

    /** What a stream's seed depends on besides the run seed. */
    public enum Scope {
        /** One seed for the whole run. */
        RUN,
        /** One seed per round. */
        ROUND,
        /** One seed per site, the same in every round. */
        SITE,
        /** One seed per site and round. */
        SITE_ROUND
    }

    /** The named random choices of a run. A new kind of random choice gets its own stream. */
    public enum Stream {
        /** How a pooled table is dealt out to simulated sites by a partitioner. */
        PARTITION(Scope.RUN),
        /** A site's train/test split; a deployed site splits its own rows with the seed simulation gives it. */
        SITE_SPLIT(Scope.SITE),
        /** The validation splits hyperparameter search carves from the sites' training rows. */
        VALIDATION_SPLIT(Scope.RUN),
        /** The initial global model's parameters. */
        INIT(Scope.RUN),
        /** Which sites a round of the FedAvg family samples. */
        SITE_SELECTION(Scope.ROUND),
        /** The order in which cyclic training visits the sites in one pass over them, keyed by the pass (from 1). */
        CYCLIC_ORDER(Scope.ROUND),
        /** Which sites a round of DP-FedAvg samples (Poisson or fixed-size), which its accounting assumes random. */
        DP_SITE_SAMPLING(Scope.ROUND),
        /**
         * A site's local training in a round (batch order, dropout). The local-only regime uses it too, so a site
         * trains on the same batches whether it trains alone or in the federation.
         */
        SITE_FIT(Scope.SITE_ROUND),
        /** A site's fine-tuning of the final global model on its own training rows (personalization). */
        SITE_FINETUNE(Scope.SITE),
        /** The centralized regime's training on the pooled rows in a round. */
        CENTRALIZED_FIT(Scope.ROUND),
        /** The Gaussian noise DP-FedAvg's server adds to the aggregate (central noise), keyed by round. */
        CENTRAL_NOISE(Scope.RUN),
        /** The Gaussian noise a site's DP-FedAvg filter adds to its update (local or distributed noise). */
        SITE_FILTER_NOISE(Scope.SITE),
        /** The Gaussian noise of a site's DP-SGD training. */
        SITE_DP_SGD_NOISE(Scope.SITE),
        /** The Gaussian noise a site adds to the counts it releases in analytics. */
        ANALYTICS_NOISE(Scope.SITE),
        /** Simulated secure-aggregation clients' keys, self-masks, Shamir coefficients and nonces. */
        SECURE_AGGREGATION_KEYS(Scope.RUN),
        /** A secure-aggregation round's neighbour graph and stochastic rounding. */
        SECURE_AGGREGATION_ROUND(Scope.ROUND),
        /** A population's virtual site: its row count, label mix and rows, drawn from the run seed and its id. */
        POPULATION_SITE(Scope.SITE),
        /** What a synthetic population shares across its sites (a wearable population's class centres). */
        POPULATION_SHARED(Scope.RUN),
        /** The fixed sample of a population's sites evaluated after each round and trained on by the baselines. */
        POPULATION_SAMPLE(Scope.RUN);

        private final Scope scope;

        Stream(Scope scope) {
            this.scope = scope;
        }

        /** What this stream's seed depends on besides the run seed. */
        public Scope scope() {
            return scope;
        }
    }

    private Seeds() {
    }

    /** The seed of run-wide stream {@code stream}. */
    public static long of(long runSeed, Stream stream) {
        return derive(runSeed, stream, Scope.RUN, "", 0);
    }

    /** The seed of per-round stream {@code stream} in round {@code round} (1 or more). */
    public static long ofRound(long runSeed, Stream stream, int round) {
        return derive(runSeed, stream, Scope.ROUND, "", round);
    }

    /** The seed of per-site stream {@code stream} for site {@code siteId}. */
    public static long ofSite(long runSeed, Stream stream, String siteId) {
        return derive(runSeed, stream, Scope.SITE, siteId, 0);
    }

    /** The seed of per-site, per-round stream {@code stream} for site {@code siteId} in round {@code round}. */
    public static long ofSiteRound(long runSeed, Stream stream, String siteId, int round) {
        return derive(runSeed, stream, Scope.SITE_ROUND, siteId, round);
    }

    /**
     * Key {@code key}'s seed within a stream whose seed is {@code streamSeed} (SplitMix64's finalizer over their
     * sum): for a generator that draws per key, such as a noise source per round, from one seed taken here.
     */
    public static long substream(long streamSeed, long key) {
        long z = streamSeed + 0x9E3779B97F4A7C15L * (key + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long derive(long runSeed, Stream stream, Scope asked, String siteId, int round) {
        if (stream.scope() != asked) {
            throw new IllegalArgumentException("seed stream " + stream + " is per " + stream.scope()
                    + ", not per " + asked);
        }
        if ((asked == Scope.SITE || asked == Scope.SITE_ROUND) && (siteId == null || siteId.isBlank())) {
            throw new IllegalArgumentException("seed stream " + stream + " needs a site id, got '" + siteId + "'");
        }
        if ((asked == Scope.ROUND || asked == Scope.SITE_ROUND) && round < 1) {
            throw new IllegalArgumentException("seed stream " + stream + ": round must be >= 1, got " + round);
        }
        byte[] name = stream.name().getBytes(StandardCharsets.UTF_8);
        byte[] site = siteId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer in = ByteBuffer.allocate(8 + 4 + name.length + 4 + site.length + 8);
        in.putLong(runSeed).putInt(name.length).put(name).putInt(site.length).put(site).putLong(round);
        return ByteBuffer.wrap(sha256().digest(in.array())).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK lacks SHA-256, which every Java platform must provide", e);
        }
    }
}
