package piranha.daemon;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/** One request to a daemon's control socket, one reply, bounded in time. */
public final class ControlClient {
    private ControlClient() {}

    /**
     * @throws IOException with a message an operator can act on ("pulse is not running: no socket
     *     at /run/piranha/pulse.sock") when there is no daemon, no reply in time, or no JSON
     */
    public static JsonObject call(Path socket, JsonObject request, Duration timeout) throws IOException {
        CompletableFuture<JsonObject> reply = request(socket, request);
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("no reply from " + socket + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + socket);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c.getMessage(), c);
        } finally {
            reply.cancel(true);
        }
    }

    /**
     * Sends the request and completes with the reply, for a caller that waits on its own terms
     * (e.g. {@code wait-ready} while watching the daemon's process). There is no timeout here;
     * cancelling the future closes the connection. Fails with the same IOExceptions as {@link #call}.
     */
    public static CompletableFuture<JsonObject> request(Path socket, JsonObject request) {
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        if (!Files.exists(socket)) {
            reply.completeExceptionally(new IOException("not running: no control socket at " + socket));
            return reply;
        }
        Thread t = new Thread(() -> {
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                reply.whenComplete((r, e) -> closeQuietly(ch)); // a cancel ends a blocked read
                reply.complete(exchange(ch, socket, request));
            } catch (java.net.SocketException e) {
                reply.completeExceptionally(
                        new IOException("not running: nothing listens on " + socket + " (" + e.getMessage() + ")"));
            } catch (IOException e) {
                reply.completeExceptionally(e);
            }
        }, "control-client");
        t.setDaemon(true);
        t.start();
        return reply;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the connection is abandoned either way
        }
    }

    private static JsonObject exchange(SocketChannel ch, Path socket, JsonObject request) throws IOException {
        ch.connect(UnixDomainSocketAddress.of(socket));
        ch.write(ByteBuffer.wrap((request.encode() + "\n").getBytes(StandardCharsets.UTF_8)));
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        // Replies can be megabytes (lvsd's status of a large table): read in large pieces and copy
        // each piece up to the newline at once, not byte by byte.
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        byte[] bytes = buf.array();
        while (ch.read(buf) >= 0) {
            int n = buf.position();
            for (int i = 0; i < n; i++) {
                if (bytes[i] == '\n') {
                    line.write(bytes, 0, i);
                    try {
                        return new JsonObject(line.toString(StandardCharsets.UTF_8));
                    } catch (DecodeException e) {
                        throw new IOException("not a JSON reply from " + socket);
                    }
                }
            }
            line.write(bytes, 0, n);
            buf.clear();
            if (line.size() > 16 * 1024 * 1024) {
                throw new IOException("reply from " + socket + " is too long");
            }
        }
        throw new IOException("no reply from " + socket + ": the connection closed");
    }
}
