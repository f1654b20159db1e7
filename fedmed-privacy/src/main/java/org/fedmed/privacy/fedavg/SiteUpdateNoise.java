package org.fedmed.privacy.fedavg;

import java.util.List;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.Seeds;
import org.fedmed.core.filter.UpdateFilter;
import org.fedmed.privacy.NoiseSource;

/**
 * DP-FedAvg's noise at a site, in one place for simulation and deployment: the {@link LocalTerm.UpdateNoise} a run
 * with local or distributed noise asks of every site, and the filters that carry it out on the site's update (clip
 * the delta to C with {@link ClippingFilter}, then add N(0, (z C)^2 / shares) per coordinate with
 * {@link LocalGaussianNoise}). A simulated site and a deployed one given the same term and the same noise source
 * send the same update, bit for bit; a deployed site draws from {@link NoiseSource#secure()} unless its operator
 * seeds it for an experiment ({@link #seeded}).
 */
public final class SiteUpdateNoise {

    private SiteUpdateNoise() {
    }

    /**
     * What a run of {@code config} with noise at {@code placement} asks each site to do: clip to the initial clip
     * norm C and add noise of multiplier z (local) or its share z / sqrt(s) (distributed). For distributed noise s
     * is the fewest updates a released sum can hold: {@code min_fit_sites}, at most the m sites a round expects
     * and at least 1. The secure sum is never unmasked with fewer than {@code min_fit_sites} masked inputs, so
     * every sum the server learns carries at least s shares, noise of at least the central mechanism's N(0, (z C)^2)
     * that the account charges; with {@code min_fit_sites} equal to m the shares are exactly the central noise, and
     * each dropout a plan tolerates costs noise: sqrt(m / s) times the central mechanism's when none drops.
     *
     * @throws IllegalArgumentException for central noise, which no site adds, or adaptive clipping, which needs the
     *                                  server to see the clipping
     */
    public static LocalTerm.UpdateNoise of(DpFedAvgConfig config, NoisePlacement placement) {
        if (config.clipping() instanceof ClippingPolicy.Adaptive) {
            throw new IllegalArgumentException("dp.adaptive_clipping needs central noise: the server must see which"
                    + " updates were clipped");
        }
        double shares = switch (placement) {
            case CENTRAL -> throw new IllegalArgumentException("dp.noise: central is added by the server; no site"
                    + " adds noise to its update");
            case LOCAL -> 1;
            case DISTRIBUTED -> distributedShares(config);
        };
        return new LocalTerm.UpdateNoise(config.clipping().initialClipNorm(), config.noiseMultiplier(), shares);
    }

    /**
     * The s of {@link #of} for distributed noise: {@code min_fit_sites}, capped at the expected sites m (no sum
     * needs more) and at least 1.
     */
    static double distributedShares(DpFedAvgConfig config) {
        double expected = config.sampler().expectedSites(config.population());
        return Math.max(1, Math.min(expected, config.minFitSites()));
    }

    /** The filters, in order, that apply {@code term} to a site's update, drawing the noise from {@code noise}. */
    public static List<UpdateFilter> filters(LocalTerm.UpdateNoise term, NoiseSource noise) {
        return List.of(new ClippingFilter(term.clipNorm()),
                new LocalGaussianNoise(term.siteNoiseMultiplier(), term.clipNorm(), noise));
    }

    /**
     * The reproducible noise site {@code siteId} adds in a run seeded {@code runSeed}: the stream
     * {@link Seeds.Stream#SITE_FILTER_NOISE} simulation gives the same site. Only for simulations and experiments:
     * whoever knows the seed can take the noise out again.
     */
    public static NoiseSource seeded(long runSeed, String siteId) {
        return NoiseSource.seeded(Seeds.ofSite(runSeed, Seeds.Stream.SITE_FILTER_NOISE, siteId));
    }
}
