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

/** Ditto's lambda and FedPer's personal layers (as tensor indices of the layout) survive the wire unchanged. */
class PersonalizationTermsCodecTest {

    static final FitConfig FIT = new FitConfig(LocalWork.epochs(2), 16, 0.05, false, 11);

    @Test
    void dittoAndPersonalLayersRoundTripThroughTheWireBytes() throws Exception {
        for (FitConfig c : List.of(FIT.withTerms(List.of(new LocalTerm.Ditto(0.5))),
                FIT.withTerms(List.of(new LocalTerm.PersonalLayers(List.of(3, 2)))),
                FIT.withTerms(List.of(new LocalTerm.Proximal(0.01), new LocalTerm.PersonalLayers(List.of(0)))))) {
            FitSettings wire = FitSettings.parseFrom(FitSettingsCodec.toWire(c).toByteArray());
            assertEquals(c, FitSettingsCodec.fromWire(wire));
        }
    }

    @Test
    void eachTermTravelsAsItsNameVersionAndNumbers() {
        FitSettings wire = FitSettingsCodec.toWire(FIT.withTerms(List.of(new LocalTerm.Ditto(0.25),
                new LocalTerm.PersonalLayers(List.of(3, 2)))));
        assertEquals(List.of(
                LocalTermSetting.newBuilder().setName("ditto").setVersion(1).addValues(0.25).build(),
                LocalTermSetting.newBuilder().setName("personal_layers").setVersion(1).addValues(2).addValues(3)
                        .build()), wire.getTermsList());
    }

    static FitSettings with(LocalTermSetting term) {
        return FitSettingsCodec.toWire(FIT).toBuilder().addTerms(term).build();
    }

    @Test
    void aPersonalLayerThatIsNotAWholeNonNegativeIndexIsRefused() {
        for (double bad : new double[] {1.5, -1, Double.NaN, 3e9}) {
            var e = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(with(
                    LocalTermSetting.newBuilder().setName("personal_layers").setVersion(1).addValues(bad).build())));
            assertTrue(e.getMessage().contains("tensor indices"), e.getMessage());
        }
        var none = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(with(
                LocalTermSetting.newBuilder().setName("personal_layers").setVersion(1).build())));
        assertTrue(none.getMessage().contains("personalization.personal_layers"), none.getMessage());
    }

    @Test
    void dittoWithLambdaZeroOrAnotherVersionIsRefused() {
        var zero = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(with(
                LocalTermSetting.newBuilder().setName("ditto").setVersion(1).addValues(0).build())));
        assertTrue(zero.getMessage().contains("personalization.lambda"), zero.getMessage());
        var v2 = assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(with(
                LocalTermSetting.newBuilder().setName("ditto").setVersion(2).addValues(0.5).build())));
        assertEquals("ditto", v2.term());
        assertEquals(2, v2.version());
        var pl2 = assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(with(
                LocalTermSetting.newBuilder().setName("personal_layers").setVersion(2).addValues(1).build())));
        assertEquals(2, pl2.version());
    }
}
