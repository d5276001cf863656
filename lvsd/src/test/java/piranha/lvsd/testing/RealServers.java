package piranha.lvsd.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny HTTP real servers on loopback: each answers any request with
 * {@code HTTP/1.0 200 OK} and its name, and can be stopped and started again on the same port.
 */
public final class RealServers implements AutoCloseable {

    public static final class Server {
        final String name;
        final String host;
        final int port;
        private volatile ServerSocket socket;
        private final List<Socket> open = new ArrayList<>();

        Server(String name, String host, int port) {
            this.name = name;
            this.host = host;
            this.port = port;
        }

        public int port() {
            return port;
        }

        public String endpoint() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        public synchronized void start() throws IOException {
            if (socket != null) {
                return;
            }
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            socket = s;
            Thread t = new Thread(() -> accept(s), "rs-" + name);
            t.setDaemon(true);
            t.start();
        }

        private void accept(ServerSocket s) {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    synchronized (this) {
                        open.add(c);
                    }
                    Thread t = new Thread(() -> serve(c), "rs-" + name + "-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket c) {
            try (c; InputStream in = c.getInputStream(); OutputStream out = c.getOutputStream()) {
                c.setSoTimeout(5000);
                byte[] buf = new byte[4096];
                int n = in.read(buf);
                if (n > 0) {
                    String body = name + "\n";
                    out.write(("HTTP/1.0 200 OK\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // a client that went away
            } finally {
                synchronized (this) {
                    open.remove(c);
                }
            }
        }

        /** Stops listening and drops open connections: the port refuses from now on. */
        public synchronized void stop() throws IOException {
            if (socket != null) {
                socket.close();
                socket = null;
            }
            for (Socket c : new ArrayList<>(open)) {
                c.close();
            }
        }
    }

    private final List<Server> servers = new ArrayList<>();

    /** A server on a free loopback port, started. */
    public Server start(String name) throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        return start(name, "127.0.0.1", port);
    }

    /** A server on a given loopback address and port, started. */
    public Server start(String name, String host, int port) throws IOException {
        Server s = new Server(name, host, port);
        s.start();
        servers.add(s);
        return s;
    }

    /** A TCP port free on 127.0.0.1 now. */
    public static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        for (Server s : servers) {
            s.stop();
        }
    }
}
