package piranha.nanny;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP server on 127.0.0.1 with a chosen behaviour per accepted connection, for tests.
 * Plain blocking sockets and one thread per connection: simple and independent of the code under test.
 */
public final class LoopbackServer implements AutoCloseable {

    /** What the server does with one accepted connection. */
    public interface Behaviour {
        void serve(Socket s) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile Behaviour behaviour;

    public LoopbackServer(Behaviour behaviour) throws IOException {
        this(behaviour, 50);
    }

    public LoopbackServer(Behaviour behaviour, int backlog) throws IOException {
        this.behaviour = behaviour;
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        acceptor = new Thread(this::acceptLoop, "test-server-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int accepted() {
        return accepted.get();
    }

    public void behave(Behaviour b) {
        behaviour = b;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                Behaviour b = behaviour;
                Thread t = new Thread(() -> {
                    try {
                        b.serve(s);
                    } catch (IOException | InterruptedException ignored) {
                        // the client went away or the test ended
                    } finally {
                        closeQuietly(s);
                        open.remove(s);
                    }
                }, "test-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    // ---- behaviours ----

    /** Reads what the client sends (briefly), writes {@code reply}, closes. */
    public static Behaviour reply(String reply) {
        return s -> {
            s.setSoTimeout(200);
            try {
                s.getInputStream().read(new byte[4096]);
            } catch (IOException ignored) {
                // the client may send nothing
            }
            OutputStream out = s.getOutputStream();
            out.write(reply.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            s.close();
        };
    }

    /** Accepts and never answers (keeps the connection open until the client or test closes it). */
    public static Behaviour silent() {
        return s -> {
            while (s.getInputStream().read(new byte[1024]) >= 0) {
                // swallow
            }
        };
    }

    /** Writes {@code reply} one byte a second. */
    public static Behaviour trickle(String reply) {
        return s -> {
            OutputStream out = s.getOutputStream();
            for (byte b : reply.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(1000);
            }
            s.close();
        };
    }

    /** Writes {@code prefix} then megabytes of filler until the client stops reading. */
    public static Behaviour flood(String prefix, int megabytes) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write(prefix.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) 'x');
            for (int i = 0; i < megabytes * 16; i++) {
                out.write(block);
            }
            s.close();
        };
    }

    /** Writes {@code partial} then resets the connection (RST). */
    public static Behaviour resetAfter(String partial) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write(partial.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(100);
            s.setSoLinger(true, 0);
            s.close();
        };
    }

    /** Writes {@code partial}, shuts its output down (FIN) and keeps reading. */
    public static Behaviour halfClose(String partial) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write(partial.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            out.flush();
            s.shutdownOutput();
            while (s.getInputStream().read(new byte[1024]) >= 0) {
                // keep the other half open
            }
        };
    }

    /** Closes at once after accepting. */
    public static Behaviour closeAtOnce() {
        return Socket::close;
    }

    /** A loopback port where nothing listens (bound, then released). */
    public static int refusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
