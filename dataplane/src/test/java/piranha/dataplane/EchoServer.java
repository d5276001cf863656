package piranha.dataplane;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real server: greets each connection with its name and a newline, echoes what it reads, and at
 * the client's EOF sends "bye NAME" then closes (so half-close can be observed).
 */
final class EchoServer implements AutoCloseable {
    final String name;
    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    final AtomicInteger accepted = new AtomicInteger();
    final Set<Socket> open = ConcurrentHashMap.newKeySet();

    EchoServer(String name, InetSocketAddress bind) throws IOException {
        this.name = name;
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(bind, 1024);
        pool.execute(this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                accepted.incrementAndGet();
                open.add(s);
                pool.execute(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write((name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            out.write(("bye " + name + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException e) {
            // client went away
        } finally {
            open.remove(s);
        }
    }

    /** Closes every connection it holds (abortively), keeping the listener. */
    void resetAll() throws IOException {
        for (Socket s : open) {
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : open) s.close();
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
