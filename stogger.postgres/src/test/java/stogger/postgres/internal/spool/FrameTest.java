package stogger.postgres.internal.spool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The frame format other readers of a segment rely on: magic, length, CRC32C of the big-endian length and the payload. */
class FrameTest {

    // All four bytes differ and none is zero, so every byte of the length must reach the checksum.
    private static final int LENGTH = 0x01020304;

    private static int expected(int length, ByteBuffer payload) {
        CRC32C crc = new CRC32C();
        crc.update(ByteBuffer.allocate(4).putInt(length).array());
        crc.update(payload);
        return (int) crc.getValue();
    }

    @Test
    void theChecksumCoversEveryByteOfTheLengthBigEndianThenThePayload() {
        byte[] bytes = "..payload..".getBytes(StandardCharsets.US_ASCII);
        assertEquals(expected(LENGTH, ByteBuffer.wrap(bytes, 2, 7)), Frame.checksum(LENGTH, bytes, 2, 7));
    }

    @Test
    void theChecksumOfAPayloadInABufferCoversEveryByteOfTheLength() {
        int offset = 5;
        ByteBuffer buffer = ByteBuffer.allocate(offset + LENGTH + 3);
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) (i * 31));
        }
        ByteBuffer payload = buffer.duplicate().position(offset).limit(offset + LENGTH);
        assertEquals(expected(LENGTH, payload), Frame.checksum(LENGTH, buffer, offset));
    }

    @Test
    void aFrameIsMagicLengthChecksumAndPayload() {
        byte[] payload = "one record\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(Frame.size(payload.length));
        Frame.write(out, payload);
        assertEquals(0, out.remaining());
        out.flip();
        assertEquals(0x53544731, out.getInt());
        assertEquals(payload.length, out.getInt());
        assertEquals(expected(payload.length, ByteBuffer.wrap(payload)), out.getInt());
        byte[] back = new byte[payload.length];
        out.get(back);
        assertArrayEquals(payload, back);
    }
}
