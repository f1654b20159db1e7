package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedmed.transport.proto.Chunk;
import org.junit.jupiter.api.Test;

class ChunkingTest {

    static float[] randomValues(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian() * 10;
        }
        return v;
    }

    static List<Chunk> chunk(String task, float[] values, int chunkBytes) {
        ModelChunker c = new ModelChunker(task, values, chunkBytes);
        List<Chunk> out = new ArrayList<>();
        while (c.hasNext()) {
            out.add(c.next());
        }
        return out;
    }

    @Test
    void valuesSurviveChunkingBitForBitWhenTheChunkSizeDoesNotDivideThePayload() throws Exception {
        float[] v = randomValues(1001, 1);
        v[3] = Float.NaN;
        v[4] = Float.NEGATIVE_INFINITY;
        v[5] = -0.0f;
        List<Chunk> chunks = chunk("t", v, 64);
        assertEquals(63, chunks.size(), "1001 values at 16 a chunk");
        assertTrue(chunks.getLast().getLast());
        assertTrue(chunks.subList(0, 62).stream().noneMatch(Chunk::getLast));
        float[] back = new float[v.length];
        ModelAssembler a = new ModelAssembler("t", back);
        for (Chunk c : chunks) {
            assertFalse(a.complete());
            a.accept(c);
        }
        assertTrue(a.complete());
        for (int i = 0; i < v.length; i++) {
            assertEquals(Float.floatToRawIntBits(v[i]), Float.floatToRawIntBits(back[i]), "value " + i);
        }
    }

    @Test
    void chunksEncodedIntoOneScratchArraySendTheSameBytesAsChunksWithDataOfTheirOwn() throws Exception {
        float[] v = randomValues(1001, 7);
        List<Chunk> fresh = chunk("t", v, 64);
        ModelChunker reusing = new ModelChunker("t", v, 64);
        byte[] scratch = new byte[100]; // larger than a chunk: only its first bytes are used
        float[] back = new float[v.length];
        ModelAssembler a = new ModelAssembler("t", back);
        List<byte[]> wire = new ArrayList<>();
        Chunk first = null;
        while (reusing.hasNext()) {
            Chunk c = reusing.next(scratch);
            first = first == null ? c : first;
            wire.add(c.toByteArray()); // serialized before the next chunk, as a gRPC call does
            a.accept(c);
        }
        assertTrue(a.complete(), "the checksum of the last chunk matches");
        assertArrayEquals(v, back);
        assertEquals(fresh.size(), wire.size());
        for (int i = 0; i < wire.size(); i++) {
            assertArrayEquals(fresh.get(i).toByteArray(), wire.get(i), "chunk " + i + " on the wire");
        }
        assertFalse(fresh.getFirst().getData().equals(first.getData()),
                "a chunk kept past the next call no longer holds its own data");
    }

    @Test
    void chunksAreLittleEndianFloat32() {
        Chunk c = chunk("t", new float[]{1.0f}, 1 << 20).getFirst();
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3f}, c.getData().toByteArray());
        assertEquals(0, c.getSeq());
    }

    @Test
    void emptyModelHasNoChunksAndIsCompleteAtOnce() {
        assertEquals(List.of(), chunk("t", new float[0], 64));
        assertTrue(new ModelAssembler("t", new float[0]).complete());
    }

    @Test
    void chunkOutOfSequenceIsRefused() throws Exception {
        List<Chunk> chunks = chunk("t", randomValues(100, 2), 64);
        ModelAssembler a = new ModelAssembler("t", new float[100]);
        a.accept(chunks.get(0));
        ChunkException e = assertThrows(ChunkException.class, () -> a.accept(chunks.get(2)));
        assertEquals("task 't': chunk 2 arrived, expected chunk 1", e.getMessage());
    }

    @Test
    void payloadShorterThanDeclaredIsRefusedAtTheLastChunk() throws Exception {
        List<Chunk> chunks = chunk("t", randomValues(10, 3), 64);
        ModelAssembler a = new ModelAssembler("t", new float[12]);
        ChunkException e = assertThrows(ChunkException.class, () -> a.accept(chunks.getFirst()));
        assertEquals("task 't': payload ended after 40 of its declared 48 bytes", e.getMessage());
    }

    @Test
    void payloadLongerThanDeclaredIsRefusedBeforeItIsWritten() {
        List<Chunk> chunks = chunk("t", randomValues(10, 3), 64);
        ModelAssembler a = new ModelAssembler("t", new float[8]);
        ChunkException e = assertThrows(ChunkException.class, () -> a.accept(chunks.getFirst()));
        assertTrue(e.getMessage().contains("runs past its declared 32 bytes"), e.getMessage());
        assertEquals(0, a.position());
    }

    @Test
    void corruptedPayloadFailsTheChecksum() throws Exception {
        List<Chunk> chunks = new ArrayList<>(chunk("t", randomValues(40, 4), 64));
        byte[] data = chunks.get(1).getData().toByteArray();
        data[7] ^= 0x10;
        chunks.set(1, chunks.get(1).toBuilder().setData(ByteString.copyFrom(data)).build());
        ModelAssembler a = new ModelAssembler("t", new float[40]);
        for (int i = 0; i < chunks.size() - 1; i++) {
            a.accept(chunks.get(i));
        }
        ChunkException e = assertThrows(ChunkException.class, () -> a.accept(chunks.getLast()));
        assertTrue(e.getMessage().contains("CRC32C"), e.getMessage());
        assertFalse(a.complete());
    }

    @Test
    void chunkOfAnotherTaskOrWithAPartialValueIsRefused() {
        ModelAssembler a = new ModelAssembler("t", new float[4]);
        assertThrows(ChunkException.class, () -> a.accept(chunk("u", new float[4], 64).getFirst()));
        Chunk odd = Chunk.newBuilder().setTaskId("t").setSeq(0).setData(ByteString.copyFrom(new byte[6])).build();
        ChunkException e = assertThrows(ChunkException.class, () -> a.accept(odd));
        assertTrue(e.getMessage().contains("not a whole number of float32 values"), e.getMessage());
    }

    @Test
    void chunkSizeMustBeAWholeNumberOfFloats() {
        assertThrows(IllegalArgumentException.class, () -> new ModelChunker("t", new float[1], 6));
    }
}
