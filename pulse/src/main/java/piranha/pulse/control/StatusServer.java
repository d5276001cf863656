package piranha.pulse.control;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Function;
import java.util.logging.Logger;
import piranha.pulse.heartbeat.RealtimeScheduling;

/**
 * The local control socket: UNIX stream, mode 0600, one JSON request per line, one JSON object per line
 * in reply (errors as {"error":"..."}). Clients are served one after the other. Kept behind this small
 * class so the project's shared control server can replace it.
 */
public final class StatusServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final int MAX_LINE = 4096;

    private final Path path;
    private final Function<JsonObject, JsonObject> handler;
    private final ServerSocketChannel server;
    private volatile boolean running = true;

    /** handler answers one request; it runs on a connection thread and may block briefly. */
    public StatusServer(Path path, Function<JsonObject, JsonObject> handler) throws IOException {
        this.path = path;
        this.handler = handler;
        Files.deleteIfExists(path);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        RealtimeScheduling.thread("control", this::acceptLoop).start();
    }

    private void acceptLoop() {
        while (running) {
            try {
                // one client at a time, on this thread: status requests are short, and a thread per
                // connection would be a new thread of ordinary priority for every query
                serve(server.accept());
            } catch (IOException e) {
                if (running) LOG.warning("control socket: " + e.getMessage());
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(ch)) {
            String line;
            while ((line = in.readLine()) != null) {
                JsonObject reply;
                if (line.length() > MAX_LINE) {
                    reply = new JsonObject().put("error", "request too long");
                } else if (line.isBlank()) {
                    continue;
                } else {
                    try {
                        reply = handler.apply(new JsonObject(line));
                    } catch (DecodeException | ClassCastException e) {
                        reply = new JsonObject().put("error", "request is not a JSON object");
                    }
                }
                out.write((reply.encode() + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            LOG.fine(() -> "control connection: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // shutting down
        }
    }
}
