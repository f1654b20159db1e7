package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Random;
import org.fedmed.transport.proto.FederationGrpc;
import org.fedmed.transport.proto.ServerMessage;
import org.fedmed.transport.proto.SiteMessage;
import org.junit.jupiter.api.Test;

class AliasingMarshallerTest {

    private static final MethodDescriptor<SiteMessage, ServerMessage> CONNECT =
            AliasingMarshaller.aliasing(FederationGrpc.getConnectMethod());

    @Test
    void chunkParsedByAliasingEqualsTheOneSentAndDecodesToTheSameFloats() throws Exception {
        float[] values = new float[300_001];
        Random random = new Random(16);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
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
}
