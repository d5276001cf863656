package piranha.nanny.check;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one HTTP/1.x response as it arrives: the status line and headers (skipping 1xx interim
 * responses), then the body framed by Content-Length, chunked transfer coding, or the end of the
 * connection, handed to a {@link Body} piece by piece. It keeps nothing of the body itself.
 */
final class HttpResponseReader {
    /** Status line and headers beyond this are refused: a check's server answers in a few hundred bytes. */
    static final int MAX_HEAD_BYTES = 16 * 1024;

    /** Where the body goes. */
    interface Body {
        /** {@code len} bytes of body from {@code buf} at {@code from}; returns false to stop reading. */
        boolean data(Buffer buf, int from, int len);
    }

    enum State { HEAD, BODY, DONE, FAILED }

    private enum Framing { NONE, LENGTH, CHUNKED, CLOSE }

    private final boolean headRequest;
    private final Body body;
    /** Grown as the head arrives: ten thousand checks in flight must not hold 16 KiB each. */
    private byte[] head = new byte[512];
    private int headLen;
    private State state = State.HEAD;
    private Framing framing;
    private long remaining;
    private int chunkStep; // 0: size line, 1: data, 2: CRLF after data, 3: trailers
    private final StringBuilder line = new StringBuilder();
    private int status = -1;
    private String phrase = "";
    private final Map<String, String> headers = new HashMap<>();
    private long bodyBytes;
    private String failure;
    private boolean http11;
    /** The body's reader stopped before its end: what is left of it is still on the connection. */
    private boolean stoppedEarly;

    HttpResponseReader(boolean headRequest, Body body) {
        this.headRequest = headRequest;
        this.body = body;
    }

    State state() {
        return state;
    }

    int status() {
        return status;
    }

    String phrase() {
        return phrase;
    }

    /** A header's first value, by lower-case name; null when absent. */
    String header(String name) {
        return headers.get(name);
    }

    long bodyBytes() {
        return bodyBytes;
    }

    int headBytes() {
        return headLen;
    }

    String failure() {
        return failure;
    }

    /**
     * Whether the connection may carry another request: the response was read to its end, its
     * length was known, and the server means to keep the connection (HTTP/1.1 unless
     * {@code Connection: close}; HTTP/1.0 only with {@code Connection: keep-alive}).
     */
    boolean reusable() {
        if (state != State.DONE || stoppedEarly || framing == Framing.CLOSE) {
            return false;
        }
        String c = headers.get("connection");
        String connection = c == null ? "" : c.toLowerCase(Locale.ROOT);
        return http11 ? !connection.contains("close") : connection.contains("keep-alive");
    }

    /** Feeds what arrived; returns the state after it. */
    State feed(Buffer chunk) {
        int i = 0;
        while (i < chunk.length() && (state == State.HEAD || state == State.BODY)) {
            i = state == State.HEAD ? readHead(chunk, i) : readBody(chunk, i);
        }
        return state;
    }

    /** The peer closed: a body read to the end of the connection is complete; anything else is cut short. */
    State closed() {
        if (state == State.BODY && framing == Framing.CLOSE) {
            state = State.DONE;
        } else if (state == State.HEAD || state == State.BODY) {
            fail(state == State.HEAD ? "closed before the end of the headers (" + headLen + " bytes)"
                    : "closed before the end of the body (" + bodyBytes + " bytes read)");
        }
        return state;
    }

    private int readHead(Buffer chunk, int i) {
        while (i < chunk.length()) {
            if (headLen == head.length) {
                if (headLen == MAX_HEAD_BYTES) {
                    fail("status line and headers longer than " + MAX_HEAD_BYTES + " bytes");
                    return chunk.length();
                }
                head = java.util.Arrays.copyOf(head, Math.min(MAX_HEAD_BYTES, head.length * 4));
            }
            byte b = chunk.getByte(i++);
            head[headLen++] = b;
            if (b == '\n' && (endsWith("\r\n\r\n") || endsWith("\n\n"))) {
                parseHead();
                return i;
            }
        }
        return i;
    }

    private boolean endsWith(String s) {
        int n = s.length();
        if (headLen < n) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (head[headLen - n + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the status line and headers from the bytes as they are: a check parses one small head
     * per interval per real server, so no regular expression and no string per line.
     */
    private void parseHead() {
        int eol = lineEnd(0);
        int firstLen = eol > 0 && head[eol - 1] == '\r' ? eol - 1 : eol;
        if (!statusLine(firstLen)) {
            fail("not an HTTP/1.x response: '" + Escapes.show(head, firstLen, 40) + "'");
            return;
        }
        int code = (head[9] - '0') * 100 + (head[10] - '0') * 10 + (head[11] - '0');
        if (code >= 100 && code < 200 && code != 101) {
            headLen = 0; // interim response (100 Continue): the real one follows
            return;
        }
        status = code;
        http11 = head[7] == '1';
        phrase = firstLen > 13 ? new String(head, 13, firstLen - 13, StandardCharsets.ISO_8859_1) : "";
        for (int from = eol + 1; from < headLen; ) {
            int end = lineEnd(from);
            int colon = -1;
            for (int k = from; k < end; k++) {
                if (head[k] == ':') {
                    colon = k;
                    break;
                }
            }
            if (colon > from) {
                String name = new String(head, from, colon - from, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
                headers.putIfAbsent(name, new String(head, colon + 1, end - colon - 1, StandardCharsets.ISO_8859_1).trim());
            }
            from = end + 1;
        }
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (headRequest || code == 204 || code == 304) {
            framing = Framing.NONE;
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            framing = Framing.CHUNKED;
        } else if (cl != null) {
            if (!cl.matches("[0-9]{1,18}")) {
                fail("invalid Content-Length '" + cl + "'");
                return;
            }
            framing = Framing.LENGTH;
            remaining = Long.parseLong(cl);
        } else {
            framing = Framing.CLOSE;
        }
        state = framing == Framing.NONE || (framing == Framing.LENGTH && remaining == 0) ? State.DONE : State.BODY;
    }

    /** The index of the line feed ending the line that starts at {@code from} (headLen if none). */
    private int lineEnd(int from) {
        int k = from;
        while (k < headLen && head[k] != '\n') {
            k++;
        }
        return k;
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}, a space, three digits, then the end or a space. */
    private boolean statusLine(int len) {
        if (len < 12 || head[0] != 'H' || head[1] != 'T' || head[2] != 'T' || head[3] != 'P' || head[4] != '/'
                || head[5] != '1' || head[6] != '.' || (head[7] != '0' && head[7] != '1') || head[8] != ' ') {
            return false;
        }
        for (int k = 9; k < 12; k++) {
            if (head[k] < '0' || head[k] > '9') {
                return false;
            }
        }
        return len == 12 || head[12] == ' ';
    }

    private int readBody(Buffer chunk, int i) {
        switch (framing) {
            case LENGTH -> {
                int n = (int) Math.min(remaining, chunk.length() - i);
                deliver(chunk, i, n);
                remaining -= n;
                if (remaining == 0 && state == State.BODY) {
                    state = State.DONE;
                }
                return i + n;
            }
            case CLOSE -> {
                deliver(chunk, i, chunk.length() - i);
                return chunk.length();
            }
            default -> {
                return readChunked(chunk, i);
            }
        }
    }

    private int readChunked(Buffer chunk, int i) {
        if (chunkStep == 1) {
            int n = (int) Math.min(remaining, chunk.length() - i);
            deliver(chunk, i, n);
            remaining -= n;
            if (remaining == 0) {
                chunkStep = 2;
            }
            return i + n;
        }
        while (i < chunk.length()) {
            char c = (char) (chunk.getByte(i++) & 0xff);
            if (c != '\n') {
                if (line.length() > 1024) {
                    fail("chunk line longer than 1024 bytes");
                    return chunk.length();
                }
                line.append(c);
                continue;
            }
            String l = line.toString().trim();
            line.setLength(0);
            if (chunkStep == 2) {
                chunkStep = 0;
            } else if (chunkStep == 3) {
                if (l.isEmpty()) {
                    state = State.DONE;
                }
            } else {
                int semi = l.indexOf(';');
                String size = semi < 0 ? l : l.substring(0, semi).trim();
                if (!size.matches("[0-9A-Fa-f]{1,15}")) {
                    fail("invalid chunk size '" + size + "'");
                    return chunk.length();
                }
                remaining = Long.parseLong(size, 16);
                chunkStep = remaining == 0 ? 3 : 1;
            }
            return i;
        }
        return i;
    }

    private void deliver(Buffer chunk, int from, int len) {
        if (len <= 0) {
            return;
        }
        bodyBytes += len;
        if (!body.data(chunk, from, len)) {
            state = State.DONE;
            stoppedEarly = true;
        }
    }

    private void fail(String why) {
        failure = why;
        state = State.FAILED;
    }
}
