package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** TCP forwarding through the table with real sockets on loopback. */
class ForwardingTest {

    @Test
    void forwardsBothWaysAndCountsBytes() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("wlc", rs1);
            try (Lab.Conn c = lab.connect()) {
                assertThat(c.greeting()).isEqualTo("rs1");
                assertThat(c.echo("hello")).isEqualTo("hello");
                DestinationStats s = lab.stats(lab.tcp(), rs1.address());
                assertThat(s.activeConns()).isEqualTo(1);
                assertThat(s.conns()).isEqualTo(1);
                assertThat(s.inBytes()).isEqualTo(6);
                assertThat(s.outBytes()).isEqualTo(4 + 6);
            }
            Lab.waitFor("connection gone", () -> lab.dp.openConnections() == 0);
            DestinationStats s = lab.stats(lab.tcp(), rs1.address());
            assertThat(s.activeConns() + s.inactiveConns()).isZero();
            assertThat(IpvsadmFormat.stats(lab.await(lab.dp.stats()))).contains("TCP").contains(Addresses.format(rs1.address()));
        }
    }

    /**
     * Two event loops: one listening socket each (SO_REUSEPORT), so new connections are spread over
     * both loops by the kernel and each stays, with its socket to the real server, on the loop that
     * accepted it. 40 connections all on one loop would happen with probability 2^-39.
     */
    @Test
    void connectionsAreAcceptedOnEveryEventLoopAndStayOnIt() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("rr", rs1);
            List<Lab.Conn> open = new ArrayList<>();
            try {
                for (int i = 0; i < 40; i++) {
                    Lab.Conn c = lab.connect();
                    open.add(c);
                    assertThat(c.greeting()).isEqualTo("rs1");
                }
                Set<Object> loops = new HashSet<>();
                for (Forwarded f : lab.dp.live(lab.tcp(), rs1.address())) {
                    if (f instanceof TcpConnection t) {
                        assertThat(t.realServerSocket().eventLoop()).isSameAs(t.clientSocket().eventLoop());
                    }
                    loops.add(eventLoop(f)); // on io_uring both sockets share one registration, on its loop
                }
                assertThat(loops).hasSize(2);
                assertThat(listeningSockets(lab.tcp().socketAddress())).isEqualTo(2);
            } finally {
                for (Lab.Conn c : open) c.close();
            }
            lab.await(lab.dp.deleteService(lab.tcp()));
            try (Socket s = new Socket()) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.connect(lab.tcp().socketAddress(), 2000))
                        .isInstanceOf(java.net.ConnectException.class); // every listening socket closed
            }
        }
    }

    /**
     * On io_uring (this kernel has what it needs) TCP is forwarded straight on the ring, on epoll
     * through Netty's channels; either way both sockets of a connection have TCP_NODELAY (on the
     * ring: the accepted socket inherits it from the listener, ours gets it through the ring), so a
     * short answer leaves at once.
     */
    @Test
    void tcpIsForwardedOnTheRingOnIoUringWithNoDelayOnBothSockets() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("rr", rs1);
            try (Lab.Conn c = lab.connect()) {
                assertThat(c.greeting()).isEqualTo("rs1");
                Forwarded f = lab.dp.live(lab.tcp(), rs1.address()).iterator().next();
                if (DataplaneTransport.name(lab.vertx).equals("io_uring")) {
                    assertThat(f).isInstanceOf(RingTcpConnection.class);
                    for (int fd : ((RingTcpConnection) f).descriptors()) {
                        assertThat(new io.netty.channel.unix.Socket(fd).isTcpNoDelay()).as("fd %d", fd).isTrue();
                    }
                } else {
                    TcpConnection t = (TcpConnection) f;
                    assertThat(t.clientSocket().config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
                    assertThat(t.realServerSocket().config().getOption(io.netty.channel.ChannelOption.TCP_NODELAY)).isTrue();
                }
            }
        }
    }

    /** The event loop a forwarded connection runs on, through channels or straight on io_uring. */
    private static io.netty.channel.EventLoop eventLoop(Forwarded f) {
        return f instanceof TcpConnection t ? t.clientSocket().eventLoop() : ((RingTcpConnection) f).eventLoop();
    }

    /**
     * TCP sockets in LISTEN state on an IPv4 address:port, from /proc/net/tcp, or from /proc/net/tcp6
     * as ::ffff:a.b.c.d (io_uring's sockets are dual-stack).
     */
    private static long listeningSockets(InetSocketAddress at) throws IOException {
        byte[] a = at.getAddress().getAddress();
        String v4 = String.format("%02X%02X%02X%02X", a[3], a[2], a[1], a[0]);
        String port = String.format(":%04X", at.getPort());
        return listening(java.nio.file.Path.of("/proc/net/tcp"), v4 + port)
                + listening(java.nio.file.Path.of("/proc/net/tcp6"), "0000000000000000FFFF0000" + v4 + port);
    }

    private static long listening(java.nio.file.Path table, String local) throws IOException {
        try (var lines = java.nio.file.Files.lines(table)) {
            return lines.map(String::trim).map(l -> l.split("\\s+"))
                    .filter(f -> f.length > 3 && f[1].equals(local) && f[3].equals("0A")).count();
        }
    }

    /**
     * Bulk both ways ending in a half-close, repeated: the client's input is shut down while the
     * echo still flows back, which is where a half-closed socket must stay writable.
     */
    @Test
    void largeTransferKeepsEveryByte() throws Exception {
        for (int round = 0; round < 20; round++) {
            try (Lab lab = new Lab()) {
                lab.service("rr", lab.realServer("rs1"));
                transfer(lab);
            }
        }
    }

    private static void transfer(Lab lab) throws Exception {
        {
            try (Lab.Conn c = lab.connect()) {
                assertThat(c.greeting()).isEqualTo("rs1");
                byte[] data = new byte[8 * 1024 * 1024];
                for (int i = 0; i < data.length; i++) data[i] = (byte) ('a' + i % 26);
                Thread writer = new Thread(() -> {
                    try {
                        c.out.write(data);
                        c.socket.shutdownOutput();
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                writer.start();
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                byte[] buf = new byte[65536];
                int n;
                while ((n = c.in().read(buf)) > 0) got.write(buf, 0, n);
                writer.join(10_000);
                byte[] all = got.toByteArray();
                assertThat(Arrays.copyOf(all, data.length)).isEqualTo(data);
                assertThat(new String(all, data.length, all.length - data.length, StandardCharsets.US_ASCII))
                        .isEqualTo("bye rs1\n");
            }
        }
    }

    /**
     * The real server answers a half-closed client and closes while the event loop is busy: its
     * socket here then reads TCP_CLOSE (our FIN went out, its FIN came in) with the answer and EOF
     * still unread. The half-close probe must not take that for a reset; the client gets the answer
     * and an orderly end.
     */
    @Test
    void orderlyCloseNotYetReadIsNoReset() throws Exception {
        try (Lab lab = new Lab(); ServerSocket rs = new ServerSocket()) {
            InetSocketAddress rsAddr = listen(lab, rs, 50);
            try (Lab.Conn c = lab.connect(); Socket accepted = rs.accept()) {
                accepted.getOutputStream().write("g\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(c.greeting()).isEqualTo("g"); // connected both ways, reading
                c.socket.shutdownOutput();
                assertThat(accepted.getInputStream().read()).isEqualTo(-1); // our FIN passed on
                Forwarded conn = lab.dp.live(lab.tcp(), rsAddr).iterator().next();
                CountDownLatch busy = new CountDownLatch(1);
                CountDownLatch answered = new CountDownLatch(1);
                // The event loop is held (as a loaded machine would) while the answer and FIN arrive,
                // then looks at the sockets before it has read them.
                java.util.concurrent.Future<Boolean> probe = eventLoop(conn).submit(() -> {
                    busy.countDown();
                    answered.await(10, TimeUnit.SECONDS);
                    Thread.sleep(200);
                    return conn instanceof TcpConnection t ? t.resetWhileHalfClosed()
                            : ((RingTcpConnection) conn).resetWhileHalfClosed();
                });
                assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
                accepted.getOutputStream().write("answer\n".getBytes(StandardCharsets.US_ASCII));
                accepted.shutdownOutput();
                answered.countDown();
                assertThat(probe.get(10, TimeUnit.SECONDS)).as("taken for a reset").isFalse();
                assertThat(c.readLine()).isEqualTo("answer");
                assertThat(c.read()).isEqualTo(-1);
            }
            Lab.waitFor("connection released", () -> lab.dp.openConnections() == 0);
        }
    }

    /**
     * Under load Netty's epoll transport now and then reads the real server's socket while its
     * connect is still under way (NotYetConnectedException from recv; it made
     * ResilienceTest.tenThousandConnectionsLeaveNoDescriptorBehind see resets). The connect is held
     * pending here (the real server's accept queue is full) while that exception is raised on the
     * socket: the client must not be reset, and is served once connected.
     */
    @Test
    void readErrorWhileConnectingIsNoReset() throws Exception {
        try (Lab lab = new Lab(); FullAcceptQueue rs = new FullAcceptQueue(lab)) {
            try (Lab.Conn c = lab.connect()) {
                Lab.waitFor("connection placed", () -> !lab.dp.live(lab.tcp(), rs.address).isEmpty());
                // Netty's channels only: on io_uring nothing reads the real server's socket before the
                // connect has completed.
                if (lab.dp.live(lab.tcp(), rs.address).iterator().next() instanceof TcpConnection conn) {
                    io.netty.channel.Channel server = conn.realServerSocket();
                    server.eventLoop().submit(() -> {
                        assertThat(server.isActive()).as("still connecting").isFalse();
                        server.pipeline().fireExceptionCaught(new java.nio.channels.NotYetConnectedException());
                    }).get(10, TimeUnit.SECONDS);
                }
                try (Socket accepted = rs.acceptPastFillers()) {
                    accepted.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    assertThat(c.greeting()).isEqualTo("hello");
                }
            }
        }
    }

    /**
     * The client sends its request and its FIN before the real server has accepted the connection
     * (its accept queue is full, so our SYN is dropped and retried a second later). Both must reach
     * the real server once connected.
     */
    @Test
    void requestAndFinSentWhileTheRealServerIsStillConnectingArePassedOn() throws Exception {
        requestAndFinWhileConnecting(false);
    }

    /**
     * A request that is there when the connection is accepted goes into the ring right behind the
     * connect, before the connect has completed (dataplane/README.md, "The request behind the
     * connect"); here the connect is held pending as above. The request reaches the real server once
     * connected, then the client's FIN, then the answer the client.
     */
    @Test
    void requestThatCameWithTheConnectionIsSentBehindThePendingConnect() throws Exception {
        requestAndFinWhileConnecting(true);
    }

    /** {@code beforeTheAccept}: request and FIN are in the client's socket before the data plane accepts it. */
    private static void requestAndFinWhileConnecting(boolean beforeTheAccept) throws Exception {
        try (Lab lab = new Lab(); FullAcceptQueue rs = new FullAcceptQueue(lab)) {
            try (HeldEventLoops held = beforeTheAccept ? new HeldEventLoops(lab) : null; Lab.Conn c = lab.connect()) {
                c.out.write("request\n".getBytes(StandardCharsets.US_ASCII));
                c.socket.shutdownOutput();
                if (held != null) {
                    Thread.sleep(100);
                    held.close();
                }
                Thread.sleep(300); // the data plane reads request and FIN while its connect is pending
                try (Socket accepted = rs.acceptPastFillers()) {
                    accepted.setSoTimeout(10_000);
                    assertThat(new String(accepted.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("request\n");
                    accepted.getOutputStream().write("answer\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(c.readLine()).isEqualTo("answer");
                assertThat(c.read()).isEqualTo(-1);
            }
            Lab.waitFor("connection released", () -> lab.dp.openConnections() == 0);
        }
    }

    /**
     * The same on loopback, where the connect completes within the submission: the request and the
     * client's FIN reach the real server once each, and its whole answer the client.
     */
    @Test
    void requestThatCameWithTheConnectionIsSentOnce() throws Exception {
        try (Lab lab = new Lab()) {
            lab.service("rr", lab.realServer("rs1"));
            for (int round = 0; round < 20; round++) {
                try (HeldEventLoops held = new HeldEventLoops(lab); Lab.Conn c = lab.connect()) {
                    c.out.write("request\n".getBytes(StandardCharsets.US_ASCII));
                    c.socket.shutdownOutput();
                    Thread.sleep(20);
                    held.close();
                    assertThat(new String(c.in().readAllBytes(), StandardCharsets.US_ASCII))
                            .isEqualTo("rs1\nrequest\nbye rs1\n");
                }
            }
            Lab.waitFor("connections released", () -> lab.dp.openConnections() == 0);
        }
    }

    /**
     * The same request sent behind the connect to a real server that refuses it: the client gets a
     * reset, as from IPVS NAT, and nothing of the connection is left.
     */
    @Test
    void requestSentBehindAConnectThatIsRefusedEndsInAReset() throws Exception {
        try (Lab lab = new Lab()) {
            InetSocketAddress closed;
            try (ServerSocket gone = new ServerSocket()) {
                closed = listen(lab, gone, 1);
            }
            try (HeldEventLoops held = new HeldEventLoops(lab); Lab.Conn c = lab.connect()) {
                c.out.write("request\n".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(100);
                held.close();
                assertThatThrownBy(c::read).isInstanceOf(java.net.SocketException.class).hasMessageContaining("reset");
            }
            Lab.waitFor("connection released", () -> lab.dp.openConnections() == 0);
            assertThat(lab.stats(lab.tcp(), closed).conns()).isEqualTo(1);
        }
    }

    /** Every event loop of the lab's Vert.x held busy until closed, as on a loaded machine. */
    private static final class HeldEventLoops implements AutoCloseable {
        private final CountDownLatch release = new CountDownLatch(1);

        HeldEventLoops(Lab lab) throws InterruptedException {
            List<io.netty.channel.EventLoop> loops = new ArrayList<>();
            ((io.vertx.core.internal.VertxInternal) lab.vertx).nettyEventLoopGroup()
                    .forEach(e -> loops.add((io.netty.channel.EventLoop) e));
            CountDownLatch busy = new CountDownLatch(loops.size());
            for (io.netty.channel.EventLoop l : loops) {
                l.execute(() -> {
                    busy.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
        }

        @Override
        public void close() {
            release.countDown();
        }
    }

    /**
     * A client that connects and at once half-closes, sending nothing, before the real server has
     * accepted: its FIN must wait for the connect (a FIN on a socket still connecting would abandon
     * the connect), then reach the real server, whose answer still reaches the client.
     */
    @Test
    void finAloneSentWhileTheRealServerIsStillConnectingIsPassedOnOnceConnected() throws Exception {
        try (Lab lab = new Lab(); FullAcceptQueue rs = new FullAcceptQueue(lab)) {
            try (Lab.Conn c = lab.connect()) {
                c.socket.shutdownOutput();
                Thread.sleep(300); // the data plane reads the FIN while its connect is pending
                try (Socket accepted = rs.acceptPastFillers()) {
                    accepted.setSoTimeout(10_000);
                    assertThat(accepted.getInputStream().read()).isEqualTo(-1);
                    accepted.getOutputStream().write("answer\n".getBytes(StandardCharsets.US_ASCII));
                }
                assertThat(c.readLine()).isEqualTo("answer");
                assertThat(c.read()).isEqualTo(-1);
            }
            Lab.waitFor("connection released", () -> lab.dp.openConnections() == 0);
        }
    }

    /**
     * The only real server of the service, with its accept queue full: a backlog of 1 holds two
     * connections, so the data plane's SYN is dropped (and retried a second later) until the two
     * fillers are accepted.
     */
    private static final class FullAcceptQueue implements AutoCloseable {
        private final ServerSocket server = new ServerSocket();
        private final List<Socket> fillers = new ArrayList<>();
        final InetSocketAddress address;

        FullAcceptQueue(Lab lab) throws Exception {
            address = listen(lab, server, 1);
            for (int i = 0; i < 2; i++) fillers.add(new Socket(address.getAddress(), address.getPort()));
        }

        /** Accepts and drops the fillers, then accepts the data plane's connection. */
        Socket acceptPastFillers() throws IOException {
            for (int i = 0; i < fillers.size(); i++) server.accept().close();
            server.setSoTimeout(10_000);
            return server.accept();
        }

        @Override
        public void close() throws IOException {
            for (Socket f : fillers) f.close();
            server.close();
        }
    }

    private static InetSocketAddress listen(Lab lab, ServerSocket rs, int backlog) throws Exception {
        rs.bind(new InetSocketAddress(lab.address(200), 0), backlog);
        InetSocketAddress a = new InetSocketAddress(lab.address(200), rs.getLocalPort());
        lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr")));
        lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(a, 1)));
        return a;
    }

    @Test
    void halfCloseIsPassedOnAndAnswerStillArrives() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("rr", rs1);
            try (Lab.Conn c = lab.connect()) {
                assertThat(c.greeting()).isEqualTo("rs1");
                c.out.write("last\n".getBytes(StandardCharsets.US_ASCII));
                c.socket.shutdownOutput();
                // The real server sees our FIN only through the forwarder, then answers and closes.
                assertThat(c.readLine()).isEqualTo("last");
                assertThat(c.readLine()).isEqualTo("bye rs1");
                assertThat(c.read()).isEqualTo(-1);
            }
            Lab.waitFor("connection gone", () -> lab.dp.openConnections() == 0);
        }
    }

    @Test
    void wrrDistributesByWeightOverRealConnections() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "wrr")));
            lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 3)));
            lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(rs2.address(), 1)));
            Map<String, Integer> m = new HashMap<>();
            for (int i = 0; i < 40; i++) m.merge(lab.whoAnswers(lab.address(9)), 1, Integer::sum);
            assertThat(m).containsEntry("rs1", 30).containsEntry("rs2", 10);
        }
    }

    @Test
    void lcAndWlcChooseTheLeastLoaded() throws Exception {
        for (String sched : List.of("lc", "wlc")) {
            try (Lab lab = new Lab()) {
                EchoServer rs1 = lab.realServer("rs1");
                EchoServer rs2 = lab.realServer("rs2");
                lab.service(sched, rs1, rs2);
                List<Lab.Conn> held = new ArrayList<>();
                try {
                    Map<String, List<Lab.Conn>> by = new HashMap<>();
                    for (int i = 0; i < 4; i++) {
                        Lab.Conn c = lab.connect();
                        held.add(c);
                        by.computeIfAbsent(c.greeting(), k -> new ArrayList<>()).add(c);
                    }
                    assertThat(by.get("rs1")).hasSize(2);
                    assertThat(by.get("rs2")).hasSize(2);
                    for (Lab.Conn c : by.get("rs1")) c.close();
                    Lab.waitFor("rs1 idle", () -> activeOf(lab, rs1) == 0);
                    // rs1 now has no active connection, rs2 two: the next two both go to rs1
                    for (int i = 0; i < 2; i++) {
                        Lab.Conn c = lab.connect();
                        held.add(c);
                        assertThat(c.greeting()).as(sched).isEqualTo("rs1");
                    }
                } finally {
                    for (Lab.Conn c : held) c.close();
                }
            }
        }
    }

    static int activeOf(Lab lab, EchoServer rs) {
        try {
            return lab.stats(lab.tcp(), rs.address()).activeConns();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shIsStablePerClientAddress() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.service("sh", rs1, rs2);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 16; i++) {
                var client = lab.clientAddress();
                String first = lab.whoAnswers(client);
                seen.add(first);
                for (int k = 0; k < 3; k++) assertThat(lab.whoAnswers(client)).isEqualTo(first);
            }
            assertThat(seen).containsExactlyInAnyOrder("rs1", "rs2");
        }
    }

    @Test
    void dhSendsAllOfOneVipToOneServer() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.service("dh", rs1, rs2);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 10; i++) seen.add(lab.whoAnswers(lab.clientAddress()));
            assertThat(seen).hasSize(1);
        }
    }

    @Test
    void everySchedulerForwards() throws Exception {
        for (String sched : piranha.dataplane.scheduler.Schedulers.NAMES) {
            try (Lab lab = new Lab()) {
                EchoServer rs1 = lab.realServer("rs1");
                lab.service(sched, rs1);
                try (Lab.Conn c = lab.connect()) {
                    assertThat(c.greeting()).as(sched).isEqualTo("rs1");
                    assertThat(c.echo("x")).isEqualTo("x");
                }
            }
        }
    }
}
