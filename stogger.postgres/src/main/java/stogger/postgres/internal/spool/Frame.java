package stogger.postgres.internal.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * How one record sits in a segment file: a 12-byte header (the magic {@code STG1}, the payload's
 * length, and the CRC32C of length and payload), then the payload. The magic lets a reader that
 * met a damaged frame find the next one; the checksum covers the length too, so a flipped bit in
 * the length is detected rather than followed.
 */
final class Frame {

    /** {@code STG1}, big-endian. */
    static final int MAGIC = 0x53544731;
    static final int HEADER = 12;
    /** The largest payload a reader accepts; longer lengths can only be damage. */
    static final int MAX_PAYLOAD = 64 * 1024 * 1024;

    private Frame() {
    }

    /** Bytes a payload of this length takes in a segment. */
    static int size(int payloadLength) {
        return HEADER + payloadLength;
    }

    /** Appends the frame of {@code payload} to {@code out}, which must have room for it. */
    static void write(ByteBuffer out, byte[] payload) {
        out.putInt(MAGIC).putInt(payload.length).putInt(checksum(payload.length, payload, 0, payload.length));
        out.put(payload);
    }

    /** CRC32C of the length (4 bytes, big-endian) and the payload bytes. */
    static int checksum(int length, byte[] bytes, int offset, int count) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(bytes, offset, count);
        return (int) crc.getValue();
    }

    /** CRC32C of the length and the payload held in {@code buffer} from {@code offset}. */
    static int checksum(int length, ByteBuffer buffer, int offset) {
        CRC32C crc = new CRC32C();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        ByteBuffer payload = buffer.duplicate();
        payload.limit(offset + length).position(offset);
        crc.update(payload);
        return (int) crc.getValue();
    }
}
