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
     * norm C and add noise of multiplier z (local) or its share z / sqrt(m) over the m sites a round expects from
     * the planned population (distributed).
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
            case DISTRIBUTED -> config.sampler().expectedSites(config.population());
        };
        return new LocalTerm.UpdateNoise(config.clipping().initialClipNorm(), config.noiseMultiplier(), shares);
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
