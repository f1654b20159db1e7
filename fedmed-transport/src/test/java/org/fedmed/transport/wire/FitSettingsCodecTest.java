package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.fedmed.core.FitConfig;
import org.fedmed.core.LocalTerm;
import org.fedmed.core.LocalWork;
import org.fedmed.transport.proto.FitSettings;
import org.fedmed.transport.proto.LocalTermSetting;
import org.junit.jupiter.api.Test;

/** A fit's settings survive the wire unchanged, and a site refuses a local term it does not know. */
class FitSettingsCodecTest {

    static final FitConfig PLAIN = new FitConfig(LocalWork.steps(100), 4, 0.001, true, -7);

    @Test
    void everyFitRoundTripsThroughTheWireBytes() throws Exception {
        for (FitConfig c : List.of(PLAIN, new FitConfig(3, 16, 0.05, false, 42),
                PLAIN.withTerms(List.of(new LocalTerm.Proximal(0.01))), PLAIN.withTerms(List.of(new LocalTerm.Proximal(0))))) {
            FitSettings wire = FitSettings.parseFrom(FitSettingsCodec.toWire(c).toByteArray());
            assertEquals(c, FitSettingsCodec.fromWire(wire));
        }
    }

    @Test
    void theProximalTermTravelsAsItsNameVersionAndMu() {
        FitSettings wire = FitSettingsCodec.toWire(PLAIN.withTerms(List.of(new LocalTerm.Proximal(0.125))));
        assertEquals(List.of(LocalTermSetting.newBuilder().setName("proximal").setVersion(1).addValues(0.125).build()),
                wire.getTermsList());
        assertEquals(100, wire.getLocalSteps());
        assertEquals(0, FitSettingsCodec.toWire(PLAIN).getTermsCount());
    }

    @Test
    void aFitWithoutTermsEncodesAsBeforeTermsExisted() {
        // what a version 3 server sent for this fit: no terms field at all
        FitSettings v3 = FitSettings.newBuilder().setLocalEpochs(2).setBatchSize(8).setLearningRate(0.1).setSeed(5).build();
        assertEquals(v3, FitSettingsCodec.toWire(new FitConfig(2, 8, 0.1, false, 5)));
    }

    static FitSettings withTerm(String name, int version, double... values) {
        LocalTermSetting.Builder t = LocalTermSetting.newBuilder().setName(name).setVersion(version);
        for (double v : values) {
            t.addValues(v);
        }
        return FitSettingsCodec.toWire(PLAIN).toBuilder().addTerms(t).build();
    }

    @Test
    void anUnknownTermNameIsRefusedNamingTheTermAndVersion() {
        var e = assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(withTerm("feddyn", 1, 0.5)));
        assertEquals("the fit asks for local term 'feddyn' version 1, which this site does not know; it trains no "
                + "fit without its local terms", e.getMessage());
        assertEquals("feddyn", e.term());
        assertEquals(1, e.version());
    }

    @Test
    void scaffoldsControlVariateTermTravelsWithNoNumbersAndRefusesAnyNumber() {
        FitConfig scaffold = PLAIN.withTerms(List.of(new LocalTerm.ControlVariates()));
        FitSettings wire = FitSettingsCodec.toWire(scaffold);
        assertEquals("scaffold", wire.getTerms(0).getName());
        assertEquals(1, wire.getTerms(0).getVersion());
        assertEquals(0, wire.getTerms(0).getValuesCount());
        assertEquals(scaffold, FitSettingsCodec.fromWire(wire));
        var e = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(withTerm("scaffold", 1, 0.5)));
        assertEquals("local term 'scaffold' version 1 takes 0 value(s) [], got [0.5]", e.getMessage());
        assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(withTerm("scaffold", 2)));
    }

    @Test
    void anUnknownVersionOfAKnownTermIsRefused() {
        var e = assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(withTerm("proximal", 2, 0.5)));
        assertEquals("the fit asks for local term 'proximal' version 2, which this site does not know; it trains no "
                + "fit without its local terms", e.getMessage());
        assertThrows(UnknownLocalTermException.class, () -> FitSettingsCodec.fromWire(withTerm("proximal", 0, 0.5)));
    }

    @Test
    void aKnownTermWithTheWrongNumbersIsMalformed() {
        var count = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(withTerm("proximal", 1)));
        assertEquals("local term 'proximal' version 1 takes 1 value(s) [prox_mu], got []", count.getMessage());
        var negative = assertThrows(IllegalArgumentException.class,
                () -> FitSettingsCodec.fromWire(withTerm("proximal", 1, -1)));
        assertEquals("prox_mu must be a finite number >= 0, got -1.0", negative.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> FitSettingsCodec.fromWire(
                withTerm("proximal", 1, 0.1).toBuilder().addTerms(withTerm("proximal", 1, 0.2).getTerms(0)).build()));
        assertEquals("a fit takes at most one local term 'proximal', got [proximal v1 [0.1], proximal v1 [0.2]]",
                twice.getMessage());
    }

    @Test
    void aFitWithoutLocalWorkIsMalformed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> FitSettingsCodec.fromWire(FitSettings.newBuilder().setBatchSize(4).setLearningRate(0.1).build()));
        assertEquals("fit settings set neither local_epochs nor local_steps", e.getMessage());
    }
}
