package piranha.pulse.lvsd;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The readiness hand-shake with lvsd: connect to its control socket, send {"cmd":"wait-ready"} and read
 * one JSON line, {"ready":true} or {"ready":false,"error":"..."}. Bounded by a deadline.
 */
public final class ReadinessClient {
    private ReadinessClient() {}

    /** Thrown when lvsd is not ready; the message says why. */
    public static final class NotReady extends Exception {
        public NotReady(String message) {
            super(message);
        }
    }

    /**
     * @param deadlineNanos System.nanoTime() by which the answer must be in
     * @param giveUp        polled while waiting: true aborts (lvsd died, or activation was superseded)
     */
    public static void awaitReady(Path socket, long deadlineNanos, BooleanSupplier giveUp)
            throws NotReady, InterruptedException {
        SocketChannel ch = null;
        try {
            // lvsd creates the socket some time after it starts: retry the connect until the deadline
            while (ch == null) {
                if (giveUp.getAsBoolean()) throw new NotReady("lvsd exited before it was ready");
                try {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    try {
                        c.connect(UnixDomainSocketAddress.of(socket));
                        ch = c;
                    } catch (IOException e) {
                        c.close();
                    }
                } catch (IOException e) {
                    throw new NotReady("cannot open a UNIX socket: " + e.getMessage());
                }
                if (ch == null) {
                    if (System.nanoTime() - deadlineNanos >= 0) {
                        throw new NotReady("no control socket at " + socket);
                    }
                    Thread.sleep(20);
                }
            }
            ch.write(ByteBuffer.wrap("{\"cmd\":\"wait-ready\"}\n".getBytes(StandardCharsets.UTF_8)));
            String line = readLine(ch, deadlineNanos, giveUp);
            JsonObject reply;
            try {
                reply = new JsonObject(line);
            } catch (DecodeException e) {
                throw new NotReady("lvsd answered something that is not JSON: " + line);
            }
            if (!Boolean.TRUE.equals(reply.getBoolean("ready"))) {
                throw new NotReady("lvsd is not ready: " + reply.getString("error", line));
            }
        } catch (IOException | ClassCastException e) {
            throw new NotReady("readiness hand-shake failed: " + e.getMessage());
        } finally {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing a local socket we are done with
                }
            }
        }
    }

    private static String readLine(SocketChannel ch, long deadline, BooleanSupplier giveUp)
            throws IOException, NotReady {
        ch.configureBlocking(false);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(512);
        try (Selector sel = Selector.open()) {
            ch.register(sel, SelectionKey.OP_READ);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new NotReady("lvsd did not report ready in time");
                if (giveUp.getAsBoolean()) throw new NotReady("lvsd exited before it was ready");
                sel.select(Math.max(1, Math.min(100, left / 1_000_000)));
                sel.selectedKeys().clear();
                int n = ch.read(buf.clear());
                if (n < 0) throw new NotReady("lvsd closed its control socket without an answer");
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') return line.toString(StandardCharsets.UTF_8);
                    if (line.size() > 65536) throw new NotReady("lvsd's answer is too long");
                    line.write(b);
                }
            }
        }
    }
}
