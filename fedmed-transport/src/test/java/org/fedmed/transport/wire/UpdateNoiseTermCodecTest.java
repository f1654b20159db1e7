package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.transport.proto.FitSettings;
import org.fedmed.transport.proto.LocalTermSetting;
import org.junit.jupiter.api.Test;

/**
 * DP-FedAvg's noise at the site travels as local term {@code update_noise} version 1 with its clip norm, noise
 * multiplier and shares, and comes back unchanged; a malformed one, or another version, is refused so that no site
 * sends an update without the noise it was asked for.
 */
class UpdateNoiseTermCodecTest {

    static final FitConfig FIT = new FitConfig(LocalWork.epochs(2), 16, 0.05, true, 11);

    @Test
    void theNoiseTermTravelsAsItsNameVersionAndNumbersAndRoundTrips() throws Exception {
        FitConfig c = FIT.withTerms(List.of(new LocalTerm.Proximal(0.01), new LocalTerm.UpdateNoise(0.5, 1.1, 4)));
        FitSettings wire = FitSettings.parseFrom(FitSettingsCodec.toWire(c).toByteArray());
        assertEquals(LocalTermSetting.newBuilder().setName("update_noise").setVersion(1).addValues(0.5).addValues(1.1)
                .addValues(4).build(), wire.getTerms(1));
        assertEquals(c, FitSettingsCodec.fromWire(wire));
    }

    @Test
    void aNoiseTermWithTooFewNumbersBadNumbersOrAnotherVersionIsRefused() {
        FitSettings base = FitSettingsCodec.toWire(FIT);
        var few = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(base.toBuilder()
                .addTerms(LocalTermSetting.newBuilder().setName("update_noise").setVersion(1).addValues(0.5)
                        .addValues(1.1)).build()));
        assertEquals("local term 'update_noise' version 1 takes 3 value(s) [clip_norm, noise_multiplier, shares],"
                + " got [0.5, 1.1]", few.getMessage());
        var lessThanOneShare = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(
                base.toBuilder().addTerms(LocalTermSetting.newBuilder().setName("update_noise").setVersion(1)
                        .addValues(0.5).addValues(1.1).addValues(0.5)).build()));
        assertTrue(lessThanOneShare.getMessage().contains("must be a finite number >= 1"),
                lessThanOneShare.getMessage());
        var noNoise = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(
                base.toBuilder().addTerms(LocalTermSetting.newBuilder().setName("update_noise").setVersion(1)
                        .addValues(0.5).addValues(0).addValues(1)).build()));
        assertTrue(noNoise.getMessage().startsWith("dp.noise_multiplier must be"), noNoise.getMessage());
        assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(base.toBuilder()
                .addTerms(LocalTermSetting.newBuilder().setName("update_noise").setVersion(2).addValues(0.5)
                        .addValues(1.1).addValues(1)).build()));
    }
}
