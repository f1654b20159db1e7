package org.fedmed.secagg.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fedmed.core.exchange.ExchangeRefusedException;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.secagg.RandomnessSource;
import org.fedmed.secagg.SecAggParameters;
import org.fedmed.secagg.message.KeyAdvertisement;
import org.fedmed.secagg.message.KeyDirectory;
import org.fedmed.secagg.message.SecAggCodec;
import org.fedmed.secagg.message.SetupRequest;
import org.fedmed.secagg.quant.RingQuantizer;
import org.junit.jupiter.api.Test;

/** A site's participant answers only the one message each stage allows, in order, and checks it fits its update. */
class SecureSumParticipantTest {

    static final SetupRequest SETUP = new SetupRequest("round-1", SecAggParameters.classic(3, 4, 32), 7);

    static Invitation invitation(SetupRequest setup) {
        return new Invitation(1, 1, 3, 1.0, RingQuantizer.Rounding.NEAREST, 5, setup);
    }

    static SecureSumParticipant participant(int length) {
        return new SecureSumParticipant("a", new float[length], RandomnessSource.seededForSimulation(1));
    }

    @Test
    void theInvitationRoundTripsThroughItsWireForm() {
        Invitation inv = invitation(SETUP);
        assertEquals(inv, Invitation.decode(inv.encode()));
    }

    @Test
    void aValidInvitationIsAnsweredWithTheSitesPublicKeys() throws Exception {
        byte[] answer = participant(4).answer(ExchangeStage.ADVERTISE_KEYS, invitation(SETUP).encode());
        KeyAdvertisement keys = new SecAggCodec(32).decode(answer, KeyAdvertisement.class);
        assertEquals(1, keys.sender());
    }

    @Test
    void aStageOutOfTurnIsRefusedAndTheParticipantTakesNoFurtherPart() throws Exception {
        SecureSumParticipant p = participant(4);
        var e = assertThrows(ExchangeRefusedException.class,
                () -> p.answer(ExchangeStage.UNMASK, new byte[] {7}));
        assertEquals("site 'a' stage UNMASK arrived out of turn (expected ADVERTISE_KEYS)", e.getMessage());
        assertTrue(p.finished());
        var again = assertThrows(ExchangeRefusedException.class,
                () -> p.answer(ExchangeStage.ADVERTISE_KEYS, invitation(SETUP).encode()));
        assertTrue(again.getMessage().contains("has finished its part"), again.getMessage());
    }

    @Test
    void aRoundOfAnotherVectorLengthIsRefusedNamingBoth() {
        var e = assertThrows(ExchangeRefusedException.class,
                () -> participant(5).answer(ExchangeStage.ADVERTISE_KEYS, invitation(SETUP).encode()));
        assertEquals("site 'a' refused stage ADVERTISE_KEYS: the round sums vectors of 4 values but this site's update"
                + " has 5", e.getMessage());
    }

    @Test
    void anotherMessageInPlaceOfTheStagesOneIsRefused() throws Exception {
        SecureSumParticipant p = participant(4);
        p.answer(ExchangeStage.ADVERTISE_KEYS, invitation(SETUP).encode());
        byte[] notADirectory = new SecAggCodec(32).encode(SETUP);
        var e = assertThrows(ExchangeRefusedException.class, () -> p.answer(ExchangeStage.SHARE_KEYS, notADirectory));
        assertTrue(e.getMessage().contains("expected a KeyDirectory but received a SetupRequest"), e.getMessage());
        assertTrue(p.finished());
    }

    @Test
    void aTruncatedInvitationIsRefused() {
        byte[] whole = invitation(SETUP).encode();
        byte[] cut = java.util.Arrays.copyOf(whole, 10);
        var e = assertThrows(ExchangeRefusedException.class,
                () -> participant(4).answer(ExchangeStage.ADVERTISE_KEYS, cut));
        assertTrue(e.getMessage().contains("invitation: truncated"), e.getMessage());
    }

    @Test
    void aDirectoryListingANonNeighbourIsRefused() throws Exception {
        SecureSumParticipant p = participant(4);
        p.answer(ExchangeStage.ADVERTISE_KEYS, invitation(SETUP).encode());
        SecureSumParticipant other = participant(4);
        KeyAdvertisement own = new SecAggCodec(32).decode(other.answer(ExchangeStage.ADVERTISE_KEYS,
                new Invitation(2, 1, 3, 1.0, RingQuantizer.Rounding.NEAREST, 5, SETUP).encode()), KeyAdvertisement.class);
        // a directory for client 1 that lists client 1 itself, and only it: not a neighbour
        KeyAdvertisement self = new KeyAdvertisement(1, own.encryptionKey(), own.maskingKey());
        byte[] directory = new SecAggCodec(32).encode(new KeyDirectory(1, List.of(self)));
        var e = assertThrows(ExchangeRefusedException.class, () -> p.answer(ExchangeStage.SHARE_KEYS, directory));
        assertTrue(e.getMessage().contains("not its neighbour"), e.getMessage());
    }
}
