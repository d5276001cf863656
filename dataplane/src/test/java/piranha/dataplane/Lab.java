package piranha.dataplane;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A table on its own Vert.x with real servers on loopback. Addresses are random in 127/8 so runs
 * beside other programs on this host never collide on a port.
 */
final class Lab implements AutoCloseable {
    final Vertx vertx;
    final Dataplane dp;
    final InetAddress vip;
    final int port = 8000 + ThreadLocalRandom.current().nextInt(1000);
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final int net = 100 + ThreadLocalRandom.current().nextInt(100);
    private final int sub = ThreadLocalRandom.current().nextInt(250);
    private int next = 10;

    Lab() {
        this(new DataplaneOptions());
    }

    Lab(DataplaneOptions options) {
        vertx = DataplaneTransport.vertx(new VertxOptions().setEventLoopPoolSize(2));
        dp = Dataplane.create(vertx, options);
        vip = address(1);
    }

    /** 127.NET.SUB.host: distinct per lab and per role. */
    InetAddress address(int host) {
        try {
            return InetAddress.getByAddress(new byte[] {127, (byte) net, (byte) sub, (byte) host});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh client source address in this lab's /24. */
    InetAddress clientAddress() {
        return address(next++);
    }

    ServiceKey tcp() {
        return ServiceKey.tcp(vip, port);
    }

    ServiceKey udp() {
        return ServiceKey.udp(vip, port);
    }

    EchoServer realServer(String name) throws IOException {
        EchoServer s = new EchoServer(name, new InetSocketAddress(address(200 + closeables.size()), 0));
        closeables.add(s);
        return s;
    }

    UdpEchoServer udpRealServer(String name) throws IOException {
        UdpEchoServer s = new UdpEchoServer(name, new InetSocketAddress(address(200 + closeables.size()), 0));
        closeables.add(s);
        return s;
    }

    <T> T await(Future<T> f) throws Exception {
        return f.await(10, TimeUnit.SECONDS);
    }

    void service(String scheduler, EchoServer... reals) throws Exception {
        await(dp.addService(ServiceSpec.of(tcp(), scheduler)));
        for (EchoServer r : reals) await(dp.addDestination(tcp(), DestinationSpec.nat(r.address(), 1)));
    }

    DestinationStats stats(ServiceKey key, InetSocketAddress dest) throws Exception {
        for (ServiceStats s : await(dp.stats())) if (s.key().equals(key)) return s.destination(dest);
        return null;
    }

    /** Opens a connection to the service from {@code source} and returns it with the greeting read. */
    Conn connect(InetAddress source) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress(vip, port), 5_000);
        return new Conn(s);
    }

    Conn connect() throws IOException {
        return connect(address(9));
    }

    /** Connects, reads the real server's name, closes. */
    String whoAnswers(InetAddress source) throws IOException {
        try (Conn c = connect(source)) {
            return c.greeting();
        }
    }

    static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) return;
            Thread.sleep(20);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static final class Conn implements AutoCloseable {
        final Socket socket;
        private final InputStream in;
        final OutputStream out;

        Conn(Socket s) throws IOException {
            socket = s;
            in = s.getInputStream();
            out = s.getOutputStream();
        }

        /** The first line a real server sends: its name. */
        String greeting() throws IOException {
            return readLine();
        }

        String readLine() throws IOException {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 10_000; i++) {
                int c = in.read();
                if (c < 0) throw new IOException("EOF after '" + b + "'");
                if (c == '\n') return b.toString();
                b.append((char) c);
            }
            throw new IOException("line too long");
        }

        /** Sends a line and reads the echo. */
        String echo(String line) throws IOException {
            out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine();
        }

        /** -1 at EOF; throws on reset. */
        int read() throws IOException {
            return in.read();
        }

        InputStream in() {
            return in;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            dp.close().await(10, TimeUnit.SECONDS);
        } finally {
            for (AutoCloseable c : closeables) c.close();
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
