package org.fedmed.server.track;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads TensorBoard event files independently of the writer: its own bitwise CRC32C, a check of both CRCs of
 * every record, and a generic protobuf walk that decodes {@code Event} and {@code Summary.Value} by field number.
 */
final class EventFileReader {

    /** One decoded event: a file version, or a scalar (tag, value) at a step. */
    record Event(double wallTime, long step, String fileVersion, String tag, Float value) {
    }

    private EventFileReader() {
    }

    static List<Event> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            int at = b.position();
            byte[] len = new byte[8];
            b.get(len);
            int lenCrc = b.getInt();
            if (lenCrc != masked(crc32c(len))) {
                throw new IOException(file + ": length CRC mismatch in the record at byte " + at);
            }
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = new byte[Math.toIntExact(n)];
            b.get(data);
            int dataCrc = b.getInt();
            if (dataCrc != masked(crc32c(data))) {
                throw new IOException(file + ": data CRC mismatch in the record at byte " + at);
            }
            events.add(decodeEvent(data));
        }
        return events;
    }

    /** CRC-32C, bit by bit with the reflected Castagnoli polynomial 0x82F63B78. */
    static int crc32c(byte[] data) {
        int crc = 0xFFFFFFFF;
        for (byte x : data) {
            crc ^= x & 0xFF;
            for (int k = 0; k < 8; k++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    static int masked(int crc) {
        return (int) ((((crc & 0xFFFFFFFFL) >>> 15 | (crc & 0xFFFFFFFFL) << 17) + 0xa282ead8L) & 0xFFFFFFFFL);
    }

    private static Event decodeEvent(byte[] data) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        double wall = 0;
        long step = 0;
        String version = null;
        String tag = null;
        Float value = null;
        while (b.hasRemaining()) {
            long key = varint(b);
            int field = (int) (key >>> 3);
            int wire = (int) (key & 7);
            switch (field) {
                case 1 -> wall = b.getDouble();
                case 2 -> step = varint(b);
                case 3 -> version = new String(bytes(b), StandardCharsets.UTF_8);
                case 5 -> {
                    ByteBuffer summary = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                    long vkey = varint(summary);
                    if (vkey != ((1 << 3) | 2)) throw new IOException("Summary field key " + vkey);
                    ByteBuffer v = ByteBuffer.wrap(bytes(summary)).order(ByteOrder.LITTLE_ENDIAN);
                    if (summary.hasRemaining()) throw new IOException("more than one Summary.Value");
                    while (v.hasRemaining()) {
                        long k = varint(v);
                        if (k == ((1 << 3) | 2)) tag = new String(bytes(v), StandardCharsets.UTF_8);
                        else if (k == ((2 << 3) | 5)) value = v.getFloat();
                        else throw new IOException("unexpected Summary.Value key " + k);
                    }
                }
                default -> throw new IOException("unexpected Event field " + field + " (wire type " + wire + ")");
            }
        }
        return new Event(wall, step, version, tag, value);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[(int) varint(b)];
        b.get(out);
        return out;
    }

    private static long varint(ByteBuffer b) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte x = b.get();
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) return v;
        }
    }
}
