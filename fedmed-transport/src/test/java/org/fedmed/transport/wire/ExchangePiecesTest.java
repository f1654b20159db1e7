package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.fedmed.core.exchange.ExchangeStage;
import org.fedmed.transport.proto.ExchangePiece;
import org.junit.jupiter.api.Test;

/** A stage's message survives its split into pieces, and a piece out of place is refused naming what was expected. */
class ExchangePiecesTest {

    static byte[] body(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(3).nextBytes(b);
        return b;
    }

    @Test
    void aBodySplitIntoPiecesReassemblesByteForByte() throws Exception {
        byte[] body = body(2500);
        List<ExchangePiece> pieces = ExchangePieces.split("r1-fit-a", ExchangeStage.MASKED_INPUT, body, 1000);
        assertEquals(3, pieces.size());
        assertEquals(List.of(false, false, true), pieces.stream().map(ExchangePiece::getLast).toList());
        ExchangePieces.Assembly a = new ExchangePieces.Assembly(pieces.getFirst(), 10_000);
        assertFalse(a.accept(pieces.get(0)));
        assertFalse(a.accept(pieces.get(1)));
        assertTrue(a.accept(pieces.get(2)));
        assertArrayEquals(body, a.body());
    }

    @Test
    void anEmptyBodyIsOneEmptyLastPiece() throws Exception {
        List<ExchangePiece> pieces = ExchangePieces.split("r1-fit-a", ExchangeStage.UNMASK, new byte[0], 1000);
        assertEquals(1, pieces.size());
        assertTrue(new ExchangePieces.Assembly(pieces.getFirst(), 10).accept(pieces.getFirst()));
    }

    @Test
    void aPieceOutOfOrderOrOverTheLimitIsRefused() throws Exception {
        List<ExchangePiece> pieces = ExchangePieces.split("r1-fit-a", ExchangeStage.SHARE_KEYS, body(2500), 1000);
        ExchangePieces.Assembly a = new ExchangePieces.Assembly(pieces.getFirst(), 10_000);
        var e = assertThrows(ChunkException.class, () -> a.accept(pieces.get(1)));
        assertEquals("exchange message of task 'r1-fit-a' (SHARE_KEYS): expected piece 0, got 1", e.getMessage());
        ExchangePieces.Assembly small = new ExchangePieces.Assembly(pieces.getFirst(), 1500);
        small.accept(pieces.get(0));
        var over = assertThrows(ChunkException.class, () -> small.accept(pieces.get(1)));
        assertEquals("exchange message of task 'r1-fit-a' (SHARE_KEYS) exceeds 1500 bytes", over.getMessage());
    }

    @Test
    void everyStageMapsToTheWireAndBack() {
        for (ExchangeStage s : ExchangeStage.values()) {
            assertEquals(s, ExchangePieces.fromWire(ExchangePieces.toWire(s)));
        }
        assertEquals(null, ExchangePieces.fromWire(org.fedmed.transport.proto.ExchangeStage.EXCHANGE_STAGE_UNSPECIFIED));
    }
}
