package org.fedmed.secagg.exchange;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.fedmed.secagg.SecAggParameters;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.message.SetupRequest;
import org.fedmed.secagg.quant.RingQuantizer;

/**
 * The coordinator's message of the first stage to one site: the round's public setup, the protocol id the site is
 * given in it, and the fixed-point encoding the site must use so that the sum decodes: the clip bound, the rounding
 * and its seed, the site's integer weight and the cohort's total weight (cleartext metadata: the counts the sites
 * reported with their held fits).
 *
 * @param clientId    the site's protocol id, 1..n
 * @param weight      what the site's delta is multiplied by, &gt;= 1
 * @param totalWeight the sum of the cohort's weights; the quantizer's maximum
 * @param clipBound   each delta value is clipped to [-clipBound, clipBound]
 * @param rounding    how values are rounded to fixed point
 * @param roundingSeed seeds stochastic rounding (the site mixes in its id)
 * @param setup       the round's public parameters, session id and graph seed
 */
public record Invitation(int clientId, long weight, long totalWeight, double clipBound, RingQuantizer.Rounding rounding,
                         long roundingSeed, SetupRequest setup) {

    public Invitation {
        if (setup == null || rounding == null) {
            throw new IllegalArgumentException("invitation: setup and rounding are required");
        }
        if (clientId < 1 || clientId > setup.parameters().numClients()) {
            throw new IllegalArgumentException("invitation: client id " + clientId + " is outside the round's clients 1.."
                    + setup.parameters().numClients());
        }
        if (weight < 1 || totalWeight < weight) {
            throw new IllegalArgumentException("invitation: weight must be in [1, total weight " + totalWeight
                    + "], got " + weight);
        }
        if (!(clipBound > 0) || !Double.isFinite(clipBound)) {
            throw new IllegalArgumentException("invitation: clip bound must be a positive finite number, got "
                    + clipBound);
        }
    }

    /** The wire form: the fields in order, little-endian, then the setup in {@link SecAggCodec}'s form. */
    public byte[] encode() {
        byte[] s = new SecAggCodec(setup.parameters().ringBits()).encode(setup);
        return ByteBuffer.allocate(4 + 8 + 8 + 8 + 1 + 8 + s.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(clientId).putLong(weight).putLong(totalWeight).putDouble(clipBound)
                .put((byte) rounding.ordinal()).putLong(roundingSeed).put(s).array();
    }

    /**
     * Reads an invitation, checking every field.
     *
     * @throws IllegalArgumentException if it is truncated or a field is out of range
     */
    public static Invitation decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int id = in.getInt();
            long weight = in.getLong();
            long total = in.getLong();
            double clip = in.getDouble();
            int r = in.get();
            if (r < 0 || r >= RingQuantizer.Rounding.values().length) {
                throw new IllegalArgumentException("invitation: unknown rounding " + r);
            }
            long seed = in.getLong();
            byte[] rest = new byte[in.remaining()];
            in.get(rest);
            SetupRequest setup = new SecAggCodec(SecAggParameters.MIN_RING_BITS).decode(rest, SetupRequest.class);
            return new Invitation(id, weight, total, clip, RingQuantizer.Rounding.values()[r], seed, setup);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("invitation: truncated after " + in.position() + " of " + bytes.length
                    + " bytes");
        }
    }
}
