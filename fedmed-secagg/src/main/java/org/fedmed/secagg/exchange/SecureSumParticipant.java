package org.fedmed.secagg.exchange;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.fedmed.core.exchange.ExchangeParticipant;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.SecAggClient;
import org.fedmed.secagg.message.KeyDirectory;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.message.ShareDelivery;
import org.fedmed.secagg.message.UnmaskRequest;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * A site's side of one secure sum about the delta it keeps: a {@link SecAggClient} behind the four stages. Each body
 * is decoded as the one message its stage allows ({@link Invitation}, then {@link KeyDirectory}, {@link
 * ShareDelivery}, {@link UnmaskRequest}) and checked, by the invitation's own checks and the client's (which refuses to
 * reveal both kinds of share of a client, a second unmask request, too few survivors, shares that fail
 * authentication). The invitation must fit the delta the site holds: the same vector length, and a ring of at most
 * {@link #MAX_RING_BITS}. The site quantizes its delta itself, with the encoding the invitation names, only when it
 * masks it; the delta is forgotten once masked, and every secret once the last stage is answered or anything is
 * refused.
 *
 * <p>The delta passes through unchanged apart from that encoding: whatever the site's filters did to it before (local
 * or distributed DP noise) is what is summed.
 */
public final class SecureSumParticipant implements ExchangeParticipant {

    /** Widest ring a site accepts: every value must fit the quantizer's signed range. */
    public static final int MAX_RING_BITS = 62;

    private static final long ROUNDING_MIX = 0x9E3779B97F4A7C15L;

    private final String siteId;
    private final RandomnessSource randomness;
    private float[] delta;
    private ExchangeStage next = ExchangeStage.ADVERTISE_KEYS;
    private boolean finished;
    private SecAggClient client;
    private SecAggCodec codec;
    private Invitation invitation;

    /**
     * @param siteId     the site, for its refusals
     * @param delta      the site's update as a delta from the global model; taken, not copied
     * @param randomness where the site's client draws its keys and seeds
     */
    public SecureSumParticipant(String siteId, float[] delta, RandomnessSource randomness) {
        this.siteId = siteId;
        this.delta = delta;
        this.randomness = randomness;
    }

    @Override
    public synchronized byte[] answer(ExchangeStage stage, byte[] body) throws ExchangeRefusedException {
        if (finished) {
            throw new ExchangeRefusedException("site '" + siteId + "' has finished its part in this secure sum; stage "
                    + stage + " is refused");
        }
        if (stage != next) {
            throw refuse("stage " + stage + " arrived out of turn (expected " + next + ")", null);
        }
        try {
            byte[] out = switch (stage) {
                case ADVERTISE_KEYS -> advertise(Invitation.decode(body));
                case SHARE_KEYS -> codec.encode(client.shareKeys(codec.decode(body, KeyDirectory.class)));
                case MASKED_INPUT -> mask(codec.decode(body, ShareDelivery.class));
                case UNMASK -> codec.encode(client.unmask(codec.decode(body, UnmaskRequest.class)));
            };
            if (stage == ExchangeStage.UNMASK) {
                finished = true;
            } else {
                next = ExchangeStage.values()[stage.ordinal() + 1];
            }
            return out;
        } catch (RuntimeException e) {
            throw refuse("refused stage " + stage + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean finished() {
        return finished;
    }

    private byte[] advertise(Invitation inv) {
        var p = inv.setup().parameters();
        if (p.vectorLength() != delta.length) {
            throw new IllegalArgumentException("the round sums vectors of " + p.vectorLength()
                    + " values but this site's update has " + delta.length);
        }
        if (p.ringBits() > MAX_RING_BITS) {
            throw new IllegalArgumentException("ring of " + p.ringBits() + " bits is wider than " + MAX_RING_BITS);
        }
        // Checks the encoding before any key exists: the quantizer refuses a total weight the ring cannot hold.
        new RingQuantizer(p.ringBits(), inv.clipBound(), inv.totalWeight(), inv.rounding());
        invitation = inv;
        codec = new SecAggCodec(p.ringBits());
        client = new SecAggClient(inv.clientId(), randomness.forClient(inv.clientId()));
        return codec.encode(client.advertiseKeys(inv.setup()));
    }

    private byte[] mask(ShareDelivery delivery) {
        var p = invitation.setup().parameters();
        RingQuantizer q = new RingQuantizer(p.ringBits(), invitation.clipBound(), invitation.totalWeight(),
                invitation.rounding());
        long[] input = q.quantize(delta, invitation.weight(),
                new SplittableRandom(invitation.roundingSeed() ^ (ROUNDING_MIX * invitation.clientId())));
        Arrays.fill(delta, 0f);
        delta = null;
        try {
            return codec.encode(client.maskInput(delivery, input));
        } finally {
            Arrays.fill(input, 0);
        }
    }

    private ExchangeRefusedException refuse(String reason, Throwable cause) {
        finished = true;
        if (delta != null) {
            Arrays.fill(delta, 0f);
            delta = null;
        }
        client = null;
        return new ExchangeRefusedException("site '" + siteId + "' " + reason, cause);
    }
}
