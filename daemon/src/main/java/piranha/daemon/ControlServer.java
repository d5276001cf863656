package piranha.daemon;

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
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * A daemon's local control socket: a UNIX stream socket, mode 0600 (0660 with a group), speaking one JSON object per
 * line. A request names its command ({@code {"cmd":"status"}}); the reply is one JSON object, or
 * {@code {"error":"..."}}. A handler may answer later (a Future), e.g. {@code wait-ready}.
 * Connections are served by a small pool of their own threads, never by an event loop.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ControlServer.class.getName());
    private static final int MAX_LINE = 64 * 1024;
    private static final int MAX_CONNECTIONS = 16;

    private final Path path;
    private final Map<String, Function<JsonObject, Future<JsonObject>>> commands;
    private final Duration replyTimeout;
    private final ServerSocketChannel server;
    private final ExecutorService pool;
    private final Thread acceptor;
    private volatile boolean closed;

    private ControlServer(Path path, Map<String, Function<JsonObject, Future<JsonObject>>> commands, Duration replyTimeout,
            String group, ThreadFactory threads) throws IOException {
        this.path = path;
        this.commands = new TreeMap<>(commands);
        this.replyTimeout = replyTimeout;
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path); // a socket left by a daemon that died; nobody listens on it
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        if (group == null) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } else {
            // The GUI runs unprivileged: members of its group may use the socket, nobody else.
            var lookup = path.getFileSystem().getUserPrincipalLookupService();
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(lookup.lookupPrincipalByGroupName(group));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
        }
        pool = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads);
        acceptor = threads.newThread(this::acceptLoop);
        acceptor.start();
    }

    /**
     * Listens on {@code path} (replacing a stale socket file) until closed.
     *
     * @param commands the handlers by command name; each gets the whole request
     * @param replyTimeout how long a deferred reply may take before the client gets an error
     */
    public static ControlServer start(Path path, Map<String, Function<JsonObject, Future<JsonObject>>> commands,
            Duration replyTimeout) throws IOException {
        return new ControlServer(path, commands, replyTimeout, null, daemonThreads("control-" + path.getFileName()));
    }

    /** As {@link #start(Path, Map, Duration)}, with the socket in {@code group} and mode 0660. */
    public static ControlServer start(Path path, Map<String, Function<JsonObject, Future<JsonObject>>> commands,
            Duration replyTimeout, String group) throws IOException {
        return new ControlServer(path, commands, replyTimeout, group, daemonThreads("control-" + path.getFileName()));
    }

    /**
     * As {@link #start(Path, Map, Duration)}, its threads (the acceptor and the connections') made by
     * {@code threads}: a daemon that schedules its threads itself (pulse runs them all real-time) gets
     * them from the start.
     */
    public static ControlServer start(Path path, Map<String, Function<JsonObject, Future<JsonObject>>> commands,
            Duration replyTimeout, ThreadFactory threads) throws IOException {
        return new ControlServer(path, commands, replyTimeout, null, threads);
    }

    /** With a group (mode 0660, null: 0600) and threads of the daemon's making. */
    public static ControlServer start(Path path, Map<String, Function<JsonObject, Future<JsonObject>>> commands,
            Duration replyTimeout, String group, ThreadFactory threads) throws IOException {
        return new ControlServer(path, commands, replyTimeout, group, threads);
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                try {
                    pool.execute(() -> serve(ch));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    reply(ch, new JsonObject().put("error", "too many control connections"));
                    closeQuietly(ch);
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "control socket " + path + ": " + e.getMessage());
                }
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        try (ch; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
            String line;
            while ((line = readLine(in)) != null) {
                if (!reply(ch, answer(line))) {
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "control connection closed: " + e.getMessage());
        }
    }

    private static String readLine(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return sb.toString();
            }
            if (sb.length() >= MAX_LINE) {
                throw new IOException("request longer than " + MAX_LINE + " bytes");
            }
            sb.append((char) c);
        }
        return sb.length() > 0 ? sb.toString() : null;
    }

    JsonObject answer(String line) {
        JsonObject request;
        try {
            request = new JsonObject(line);
        } catch (DecodeException | ClassCastException e) {
            return new JsonObject().put("error", "not a JSON object: send one {\"cmd\":...} per line");
        }
        String cmd = request.getValue("cmd") instanceof String s ? s : null;
        Function<JsonObject, Future<JsonObject>> handler = cmd == null ? null : commands.get(cmd);
        if (handler == null) {
            return new JsonObject().put("error", cmd == null ? "missing \"cmd\"" : "unknown command '" + cmd + "'")
                    .put("commands", new io.vertx.core.json.JsonArray(java.util.List.copyOf(commands.keySet())));
        }
        try {
            return handler.apply(request).toCompletionStage().toCompletableFuture()
                    .get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return new JsonObject().put("error", cmd + ": no answer within " + replyTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JsonObject().put("error", cmd + ": interrupted");
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return new JsonObject().put("error", cmd + ": " + cause.getMessage());
        }
    }

    private static boolean reply(SocketChannel ch, JsonObject reply) {
        try {
            OutputStream out = Channels.newOutputStream(ch);
            out.write((reply.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing more to tell a client that is gone
        }
    }

    private static ThreadFactory daemonThreads(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing a listening socket does not fail in a way worth reporting
        }
        pool.shutdownNow();
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot remove " + path + ": " + e.getMessage());
        }
    }
}
