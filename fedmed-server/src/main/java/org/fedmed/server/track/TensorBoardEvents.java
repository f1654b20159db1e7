package org.fedmed.server.track;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the two kinds of TensorBoard {@code Event} protobuf we write, by hand, field by field (from
 * {@code tensorboard/compat/proto/event.proto} and {@code summary.proto}): {@code Event{wall_time = 1 (double),
 * step = 2 (int64), file_version = 3 (string) | summary = 5 (Summary)}}, {@code Summary{value = 1 (repeated
 * Value)}}, {@code Value{tag = 1 (string), simple_value = 2 (float)}}. These are the fields TensorBoard's scalar
 * dashboard reads; every other field is left at its default.
 */
public final class TensorBoardEvents {

    /** The version the first event of every file names. */
    public static final String FILE_VERSION = "brain.Event:2";

    private TensorBoardEvents() {
    }

    /** The first event of a file: its version. */
    public static byte[] fileVersion(double wallTime) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        fixed64(b, 1, Double.doubleToRawLongBits(wallTime));
        bytes(b, 3, FILE_VERSION.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }

    /** An event with one scalar, {@code tag} = {@code value}, at {@code step}. */
    public static byte[] scalar(double wallTime, long step, String tag, float value) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        bytes(v, 1, tag.getBytes(StandardCharsets.UTF_8));
        key(v, 2, 5);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            v.write(bits >>> (8 * i));
        }
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        bytes(summary, 1, v.toByteArray());
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        fixed64(e, 1, Double.doubleToRawLongBits(wallTime));
        key(e, 2, 0);
        varint(e, step);
        bytes(e, 5, summary.toByteArray());
        return e.toByteArray();
    }

    private static void key(ByteArrayOutputStream b, int field, int wireType) {
        varint(b, ((long) field << 3) | wireType);
    }

    private static void fixed64(ByteArrayOutputStream b, int field, long bits) {
        key(b, field, 1);
        for (int i = 0; i < 8; i++) {
            b.write((int) (bits >>> (8 * i)));
        }
    }

    private static void bytes(ByteArrayOutputStream b, int field, byte[] data) {
        key(b, field, 2);
        varint(b, data.length);
        b.writeBytes(data);
    }

    private static void varint(ByteArrayOutputStream b, long v) {
        while ((v & ~0x7FL) != 0) {
            b.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        b.write((int) v);
    }
}
