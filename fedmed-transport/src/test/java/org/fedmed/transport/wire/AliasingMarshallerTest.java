package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.internal.CompositeReadableBuffer;
import io.grpc.internal.ReadableBuffers;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedmed.transport.proto.ExchangePiece;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.junit.jupiter.api.Test;

class AliasingMarshallerTest {

    private static final MethodDescriptor<SiteMessage, ServerMessage> CONNECT =
            AliasingMarshaller.aliasing(FederationGrpc.getConnectMethod());

    @Test
    void chunkParsedByAliasingEqualsTheOneSentAndDecodesToTheSameFloats() throws Exception {
        float[] values = ChunkingTest.randomValues(300_001, 16);
        ModelChunker chunker = new ModelChunker("t-1", values, 1 << 20);
        ModelAssembler assembler = new ModelAssembler("t-1", new float[values.length]);
        while (chunker.hasNext()) {
            SiteMessage sent = SiteMessage.newBuilder().setChunk(chunker.next()).build();
            try (InputStream wire = CONNECT.getRequestMarshaller().stream(sent)) {
                SiteMessage received = CONNECT.getRequestMarshaller().parse(wire);
                assertEquals(sent, received);
                assembler.accept(received.getChunk());
            }
        }
        assertTrue(assembler.complete());
        assertArrayEquals(values, assembler.target());
    }

    @Test
    void bytesOnTheWireAreThoseOfGrpcsOwnMarshaller() throws Exception {
        ServerMessage m = ServerMessage.newBuilder().setChunk(new ModelChunker("t-2", new float[]{1f, -2.5f, 3e9f}, 8)
                .next()).build();
        byte[] ours;
        byte[] theirs;
        try (InputStream a = CONNECT.getResponseMarshaller().stream(m);
             InputStream b = FederationGrpc.getConnectMethod().getResponseMarshaller().stream(m)) {
            ours = a.readAllBytes();
            theirs = b.readAllBytes();
        }
        assertArrayEquals(theirs, ours);
        assertArrayEquals(m.toByteArray(), ours);
    }

    @Test
    void malformedBytesFailTheCallAsInternalNotWithAnUncheckedParseError() {
        byte[] garbage = {(byte) 0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x0f, 1, 2};
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> CONNECT.getRequestMarshaller().parse(new ByteArrayInputStream(garbage)));
        assertEquals(Status.Code.INTERNAL, e.getStatus().getCode());
    }

    @Test
    void wrappingTwiceKeepsOneAliasingMarshaller() {
        MethodDescriptor<SiteMessage, ServerMessage> twice = AliasingMarshaller.aliasing(CONNECT);
        assertSame(CONNECT.getRequestMarshaller(), twice.getRequestMarshaller());
        assertEquals(FederationGrpc.getConnectMethod().getFullMethodName(), twice.getFullMethodName());
    }

    @Test
    void chunkInDirectNetworkBuffersIsParsedInPlaceAndDecodesAcrossBufferEdgesThatSplitFloats() throws Exception {
        float[] values = ChunkingTest.randomValues(50_003, 17);
        ServerMessage sent = ServerMessage.newBuilder().setChunk(new ModelChunker("t-3", values, 1 << 20).next()).build();
        // Edges at odd offsets: 7 bytes, then pieces of 4093, so most floats near an edge are split.
        List<ByteBuffer> buffers = directPieces(sent.toByteArray(), 7, 4093);
        ServerMessage received;
        try (InputStream wire = streamOver(buffers)) {
            received = CONNECT.getResponseMarshaller().parse(wire);
            ModelAssembler assembler = new ModelAssembler("t-3", new float[values.length]);
            assembler.accept(received.getChunk());
            assertTrue(assembler.complete());
            assertArrayEquals(values, assembler.target());
            assertEquals(sent, received);
            // In place: the chunk's data is the network buffers' memory, not a copy of it.
            buffers.forEach(b -> {
                for (int i = 0; i < b.limit(); i++) {
                    b.put(i, (byte) 0);
                }
            });
            assertEquals(sent.getChunk().getData().size(), received.getChunk().getData().size());
            assertEquals(ByteString.copyFrom(new byte[sent.getChunk().getData().size()]), received.getChunk().getData());
        }
    }

    @Test
    void exchangePieceInDirectNetworkBuffersIsCopiedSoItOutlivesTheBuffers() throws Exception {
        byte[] body = new byte[20_000];
        new Random(18).nextBytes(body);
        ServerMessage sent = ServerMessage.newBuilder().setExchange(ExchangePiece.newBuilder().setTaskId("t-4")
                .setData(ByteString.copyFrom(body))).build();
        List<ByteBuffer> buffers = directPieces(sent.toByteArray(), 5, 1001);
        ServerMessage received;
        try (InputStream wire = streamOver(buffers)) {
            received = CONNECT.getResponseMarshaller().parse(wire);
        }
        buffers.forEach(b -> b.put(0, (byte) ~b.get(0)));
        assertEquals(sent, received);
        assertArrayEquals(body, received.getExchange().getData().toByteArray());
    }

    @Test
    void messageThatStartsAsAChunkButEndsAsAnotherBodyIsCopiedNotAliased() throws Exception {
        ServerMessage chunk = ServerMessage.newBuilder().setChunk(new ModelChunker("t-5", new float[1000], 4000).next())
                .build();
        ServerMessage exchange = ServerMessage.newBuilder().setExchange(ExchangePiece.newBuilder().setTaskId("t-5")
                .setData(ByteString.copyFrom(new byte[]{1, 2, 3, 4}))).build();
        byte[] both = ByteString.copyFrom(chunk.toByteArray()).concat(ByteString.copyFrom(exchange.toByteArray()))
                .toByteArray(); // protobuf merges: the later oneof field wins
        List<ByteBuffer> buffers = directPieces(both, 3, 512);
        ServerMessage received;
        try (InputStream wire = streamOver(buffers)) {
            received = CONNECT.getResponseMarshaller().parse(wire);
        }
        buffers.forEach(b -> {
            for (int i = 0; i < b.limit(); i++) {
                b.put(i, (byte) 0x7f);
            }
        });
        assertEquals(exchange, received);
    }

    /** {@code bytes} cut into direct buffers: the first of {@code first} bytes, then pieces of {@code piece}. */
    private static List<ByteBuffer> directPieces(byte[] bytes, int first, int piece) {
        List<ByteBuffer> out = new ArrayList<>();
        int at = 0;
        int n = first;
        while (at < bytes.length) {
            int len = Math.min(n, bytes.length - at);
            ByteBuffer b = ByteBuffer.allocateDirect(len);
            b.put(bytes, at, len).flip();
            out.add(b);
            at += len;
            n = piece;
        }
        return out;
    }

    /** A stream like the one gRPC hands a marshaller: known length, marks, and its buffers exposed. */
    private static InputStream streamOver(List<ByteBuffer> buffers) {
        CompositeReadableBuffer composite = new CompositeReadableBuffer();
        for (ByteBuffer b : buffers) {
            composite.addBuffer(ReadableBuffers.wrap(b.duplicate()));
        }
        return ReadableBuffers.openStream(composite, true);
    }
}
