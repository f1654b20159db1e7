package org.fedmed.server.track;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * Writes TFRecord framing, the container of TensorBoard event files: for each record, its length as a
 * little-endian uint64, the masked CRC32C of those 8 bytes as a little-endian uint32, the data, and the masked
 * CRC32C of the data. The mask is TensorFlow's: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}, modulo 2^32.
 */
public final class TfRecordWriter {

    private static final int MASK_DELTA = 0xa282ead8;

    private final OutputStream out;

    public TfRecordWriter(OutputStream out) {
        this.out = out;
    }

    public void write(byte[] data) throws IOException {
        byte[] length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(length);
        out.write(le32(maskedCrc32c(length, 0, 8)));
        out.write(data);
        out.write(le32(maskedCrc32c(data, 0, data.length)));
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** TensorFlow's masked CRC32C (Castagnoli) of {@code length} bytes of {@code b} from {@code offset}. */
    public static int maskedCrc32c(byte[] b, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b, offset, length);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
