package org.fedmed.transport.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.CallStreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.fedmed.transport.proto.Chunk;
import org.fedmed.transport.proto.Heartbeat;
import org.fedmed.transport.proto.ResultHeader;
import org.fedmed.transport.proto.SiteMessage;
import org.junit.jupiter.api.Test;

class FlowControlledSenderTest {

    /** A call that, as gRPC's does, serializes each message before onNext returns, and is ready only when told. */
    static class SerializingCall extends CallStreamObserver<SiteMessage> {
        final List<byte[]> wire = new ArrayList<>();
        int readyFor;

        @Override public boolean isReady() { return readyFor > 0; }
        @Override public void setOnReadyHandler(Runnable onReadyHandler) { }
        @Override public void disableAutoInboundFlowControl() { }
        @Override public void request(int count) { }
        @Override public void setMessageCompression(boolean enable) { }
        @Override public void onNext(SiteMessage value) {
            readyFor--;
            wire.add(value.toByteArray());
        }
        @Override public void onError(Throwable t) { }
        @Override public void onCompleted() { }
    }

    private static Transfer<SiteMessage> transfer(String task, float[] values, int chunkBytes, long[] sentBytes) {
        return new Transfer<>(task, SiteMessage.newBuilder().setResult(ResultHeader.newBuilder().setTaskId(task)).build(),
                new ModelChunker(task, values, chunkBytes), c -> SiteMessage.newBuilder().setChunk(c).build(),
                b -> sentBytes[0] = b);
    }

    @Test
    void twoTransfersSentThroughScratchArraysPutTheSameBytesOnTheWireAsChunksWithDataOfTheirOwn() throws Exception {
        float[] a = ChunkingTest.randomValues(1000, 11);
        float[] b = ChunkingTest.randomValues(37, 12);
        SerializingCall call = new SerializingCall();
        FlowControlledSender<SiteMessage> sender = new FlowControlledSender<>(call);
        long[] sentA = {-1};
        long[] sentB = {-1};
        call.readyFor = 3; // the header and two chunks of the first transfer, then the call blocks
        sender.send(transfer("a", a, 1024, sentA));
        sender.send(transfer("b", b, 1024, sentB));
        assertEquals(3, call.wire.size());
        assertEquals(-1, sentA[0], "a transfer counts as sent only once its last chunk went out");
        sender.send(SiteMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        call.readyFor = 100;
        sender.drain();

        List<SiteMessage> got = new ArrayList<>();
        for (byte[] m : call.wire) {
            got.add(SiteMessage.parseFrom(m));
        }
        // header a, chunks a0, a1 | heartbeat overtakes the rest | a2, a3, header b, b0
        assertEquals(3 + 1 + 2 + 2, got.size());
        assertTrue(got.get(3).hasHeartbeat(), "a control message overtakes the queued chunks");
        List<Chunk> expectA = ChunkingTest.chunk("a", a, 1024);
        List<Chunk> expectB = ChunkingTest.chunk("b", b, 1024);
        assertEquals(List.of(expectA.get(0), expectA.get(1)), List.of(got.get(1).getChunk(), got.get(2).getChunk()));
        assertEquals(List.of(expectA.get(2), expectA.get(3)), List.of(got.get(4).getChunk(), got.get(5).getChunk()));
        assertEquals("b", got.get(6).getResult().getTaskId());
        assertEquals(expectB.getFirst(), got.get(7).getChunk());
        float[] back = new float[a.length];
        ModelAssembler assembler = new ModelAssembler("a", back);
        for (SiteMessage m : List.of(got.get(1), got.get(2), got.get(4), got.get(5))) {
            assembler.accept(m.getChunk());
        }
        assertTrue(assembler.complete());
        assertArrayEquals(a, back);
        assertEquals(4000, sentA[0]);
        assertEquals(148, sentB[0]);
    }

    @Test
    void nothingQueuedBeforeOrAfterTheLastMessageFollowsIt() throws Exception {
        SerializingCall call = new SerializingCall();
        FlowControlledSender<SiteMessage> sender = new FlowControlledSender<>(call);
        call.readyFor = 0; // the call is busy: the transfer waits in the queue
        sender.send(transfer("a", ChunkingTest.randomValues(1000, 13), 1024, new long[]{-1}));
        sender.sendLast(SiteMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
        sender.send(transfer("b", ChunkingTest.randomValues(10, 14), 1024, new long[]{-1}));
        sender.send(SiteMessage.newBuilder().setResult(ResultHeader.newBuilder().setTaskId("late")).build());
        call.readyFor = 100;
        sender.drain();
        assertEquals(1, call.wire.size(), "only the last message goes out");
        assertTrue(SiteMessage.parseFrom(call.wire.getFirst()).hasHeartbeat());
    }

    @Test
    void aScratchArrayGivenBackIsLentAgainAndOneTooSmallIsReplaced() {
        ScratchBuffers pool = new ScratchBuffers(4);
        byte[] first = pool.borrow(4096);
        assertEquals(4096, first.length);
        pool.giveBack(first);
        assertSame(first, pool.borrow(100), "a kept array big enough is lent again");
        pool.giveBack(first);
        byte[] bigger = pool.borrow(8192);
        assertNotSame(first, bigger);
        assertEquals(8192, bigger.length);
        assertEquals(0, pool.kept(), "the array too small was dropped, not kept");
    }

    @Test
    void thePoolKeepsNoMoreThanItsBoundHoweverManyArraysAreGivenBack() {
        ScratchBuffers pool = new ScratchBuffers(5);
        for (int i = 0; i < 12; i++) {
            pool.giveBack(new byte[16]);
        }
        assertEquals(5, pool.kept());
        for (int i = 0; i < 5; i++) {
            pool.borrow(16);
        }
        assertEquals(0, pool.kept());
        assertEquals(16, pool.borrow(16).length, "an empty pool allocates");
    }

    @Test
    void aScratchArrayTooSmallForTheChunkIsRefused() {
        ModelChunker c = new ModelChunker("t", new float[10], 32);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.next(new byte[31]));
        assertTrue(e.getMessage().contains("cannot hold a chunk of 32"), e.getMessage());
    }

    @Test
    void onceToldItsEventLoopASenderWritesEveryMessageQueuedOnOtherThreadsOnThatLoopInOrder() throws Exception {
        var group = new io.grpc.netty.shaded.io.netty.channel.DefaultEventLoopGroup(1);
        try {
            var loop = group.next();
            List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
            SerializingCall call = new SerializingCall() {
                @Override public void onNext(SiteMessage value) {
                    threads.add(Thread.currentThread().getName());
                    super.onNext(value);
                }
            };
            call.readyFor = 1000;
            FlowControlledSender<SiteMessage> sender = new FlowControlledSender<>(call);
            // found from the loop itself, as a link does in its call's first callback
            var found = loop.submit(() -> FlowControlledSender.loopOfThisThread(group)).get();
            assertSame(loop, found);
            assertEquals(null, FlowControlledSender.loopOfThisThread(group), "this thread runs none of the loops");
            sender.drainOn(found);
            float[] values = ChunkingTest.randomValues(700, 5);
            long[] sent = {-1};
            for (int i = 0; i < 20; i++) {
                sender.send(SiteMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setSentAtUnixMs(i)).build());
            }
            sender.send(transfer("t", values, 1024, sent));
            loop.submit(() -> { }).get(); // the drains handed to the loop ran before this
            String loopThread = loop.submit(() -> Thread.currentThread().getName()).get();
            assertEquals(20 + 1 + 3, call.wire.size());
            assertTrue(threads.stream().allMatch(loopThread::equals), "every onNext on the loop: " + threads);
            for (int i = 0; i < 20; i++) {
                assertEquals(i, SiteMessage.parseFrom(call.wire.get(i)).getHeartbeat().getSentAtUnixMs());
            }
            assertEquals(ChunkingTest.chunk("t", values, 1024), List.of(SiteMessage.parseFrom(call.wire.get(21)).getChunk(),
                    SiteMessage.parseFrom(call.wire.get(22)).getChunk(), SiteMessage.parseFrom(call.wire.get(23)).getChunk()));
            assertEquals(4L * values.length, sent[0]);
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }
}
