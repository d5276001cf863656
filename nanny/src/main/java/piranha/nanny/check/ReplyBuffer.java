package piranha.nanny.check;

import io.vertx.core.buffer.Buffer;

/** The first bytes of a reply, never more than {@link Expectation#MAX_REPLY_BYTES}. */
final class ReplyBuffer {
    private byte[] bytes = new byte[256];
    private int len;

    /** Appends what fits; returns true once the cap is reached. */
    boolean append(Buffer chunk) {
        return append(chunk, 0, chunk.length());
    }

    /** Appends what fits of {@code length} bytes at {@code from}; returns true once the cap is reached. */
    boolean append(Buffer chunk, int from, int length) {
        int room = Expectation.MAX_REPLY_BYTES - len;
        int n = Math.min(room, length);
        if (len + n > bytes.length) {
            byte[] grown = new byte[Math.min(Expectation.MAX_REPLY_BYTES, Math.max(len + n, bytes.length * 2))];
            System.arraycopy(bytes, 0, grown, 0, len);
            bytes = grown;
        }
        chunk.getBytes(from, from + n, bytes, len);
        len += n;
        return full();
    }

    boolean full() {
        return len >= Expectation.MAX_REPLY_BYTES;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return len;
    }

    String show() {
        return Escapes.show(bytes, len, 32);
    }
}
