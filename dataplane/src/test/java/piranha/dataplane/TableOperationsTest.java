package piranha.dataplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Quiesce, removal, sorry server, limits, timeouts and refused operations. */
class TableOperationsTest {

    @Test
    void weightZeroTakesNoNewConnectionsButOpenOnesContinue() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.service("rr", rs1, rs2);
            try (Lab.Conn held = lab.connect()) {
                assertThat(held.greeting()).isEqualTo("rs1");
                lab.await(lab.dp.editDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 0)));
                for (int i = 0; i < 6; i++) assertThat(lab.whoAnswers(lab.address(9))).isEqualTo("rs2");
                assertThat(held.echo("still here")).isEqualTo("still here");
                assertThat(lab.stats(lab.tcp(), rs1.address()).weight()).isZero();
                lab.await(lab.dp.editDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 1)));
                List<String> back = new ArrayList<>();
                for (int i = 0; i < 4; i++) back.add(lab.whoAnswers(lab.address(9)));
                assertThat(back).contains("rs1", "rs2");
            }
        }
    }

    @Test
    void removedServerKeepsOpenConnectionsByDefault() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.service("rr", rs1, rs2);
            try (Lab.Conn held = lab.connect()) {
                assertThat(held.greeting()).isEqualTo("rs1");
                lab.await(lab.dp.deleteDestination(lab.tcp(), rs1.address()));
                for (int i = 0; i < 4; i++) assertThat(lab.whoAnswers(lab.address(9))).isEqualTo("rs2");
                assertThat(held.echo("kept")).isEqualTo("kept");
                assertThat(lab.stats(lab.tcp(), rs1.address())).isNull();
            }
            Lab.waitFor("all closed", () -> lab.dp.openConnections() == 0);
        }
    }

    @Test
    void removedServerLosesItsConnectionsWithExpireNodestConn() throws Exception {
        try (Lab lab = new Lab(new DataplaneOptions().setExpireNodestConn(true))) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.service("rr", rs1, rs2);
            try (Lab.Conn a = lab.connect(); Lab.Conn b = lab.connect()) {
                // two connections placed on two event loops: either may have been scheduled first
                boolean aFirst = a.greeting().equals("rs1");
                assertThat(b.greeting()).isEqualTo(aFirst ? "rs2" : "rs1");
                Lab.Conn held = aFirst ? a : b;
                Lab.Conn other = aFirst ? b : a;
                lab.await(lab.dp.deleteDestination(lab.tcp(), rs1.address()));
                assertThat(endOf(held)).isTrue();
                assertThat(other.echo("unaffected")).isEqualTo("unaffected");
            }
        }
    }

    /** True when a new connection is reset or closed at once (the reset may even beat connect()). */
    static boolean refused(Lab lab) {
        try (Lab.Conn c = lab.connect()) {
            return endOf(c);
        } catch (IOException e) {
            return !(e instanceof java.net.SocketTimeoutException);
        }
    }

    /** True when the connection ends (EOF or reset) before the read timeout. */
    static boolean endOf(Lab.Conn c) {
        try {
            return c.read() == -1;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Test
    void sorryServerTakesOverOnlyWhileNoRealServerCan() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer sorry = lab.realServer("sorry");
            lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "wlc").persistent(300, null)));
            lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.sorry(sorry.address())));
            assertThat(lab.whoAnswers(lab.address(9))).isEqualTo("sorry");
            lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 1)));
            // not pinned to the sorry server by persistence
            assertThat(lab.whoAnswers(lab.address(9))).isEqualTo("rs1");
            lab.await(lab.dp.editDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 0)));
            lab.await(lab.dp.addService(ServiceSpec.of(ServiceKey.tcp(lab.address(2), lab.port), "rr")));
            assertThat(lab.stats(lab.tcp(), sorry.address()).sorry()).isTrue();
            lab.await(lab.dp.deleteDestination(lab.tcp(), sorry.address()));
            lab.await(lab.dp.editDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 1)));
            assertThat(lab.whoAnswers(lab.address(9))).isEqualTo("rs1");
        }
    }

    @Test
    void noDestinationRefusesWithOneLogLine() throws Exception {
        Capture log = Capture.on(Service.class);
        try (Lab lab = new Lab()) {
            lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr")));
            for (int i = 0; i < 3; i++) {
                assertThat(refused(lab)).isTrue();
            }
            assertThat(log.matching("no destination available")).hasSize(1);
        } finally {
            log.close();
        }
    }

    @Test
    void connectionCapRefusesAndLogsOnce() throws Exception {
        Capture log = Capture.on(ConnectionLimit.class);
        try (Lab lab = new Lab(new DataplaneOptions().setMaxConnections(3))) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("rr", rs1);
            List<Lab.Conn> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Lab.Conn c = lab.connect();
                    held.add(c);
                    assertThat(c.greeting()).isEqualTo("rs1");
                }
                for (int i = 0; i < 4; i++) {
                    assertThat(refused(lab)).isTrue();
                }
                assertThat(lab.dp.refusedConnections()).isEqualTo(4);
                assertThat(log.matching("connection limit of 3 reached")).hasSize(1);
                held.remove(0).close();
                Lab.waitFor("slot free", () -> lab.dp.openConnections() == 2);
                assertThat(lab.whoAnswers(lab.address(9))).isEqualTo("rs1");
            } finally {
                for (Lab.Conn c : held) c.close();
            }
        } finally {
            log.close();
        }
    }

    @Test
    void idleConnectionEndsAfterTcpTimeout() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("rr", rs1);
            lab.await(lab.dp.setTimeouts(new Timeouts(1, 0, 0)));
            assertThat(lab.dp.timeouts()).isEqualTo(new Timeouts(1, 120, 300));
            try (Lab.Conn c = lab.connect()) {
                assertThat(c.greeting()).isEqualTo("rs1");
                long t0 = System.nanoTime();
                assertThat(endOf(c)).isTrue();
                assertThat((System.nanoTime() - t0) / 1e9).isBetween(0.5, 8.0);
            }
        }
    }

    @Test
    void halfClosedConnectionEndsAfterTcpfinTimeout() throws Exception {
        try (Lab lab = new Lab(); java.net.ServerSocket silent = new java.net.ServerSocket()) {
            silent.bind(new InetSocketAddress(lab.address(200), 0));
            InetSocketAddress rs = new InetSocketAddress(lab.address(200), silent.getLocalPort());
            lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr")));
            lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(rs, 1)));
            lab.await(lab.dp.setTimeouts(new Timeouts(0, 1, 0)));
            try (Lab.Conn c = lab.connect(); java.net.Socket accepted = silent.accept()) {
                c.socket.shutdownOutput(); // the real server never answers nor closes
                Lab.waitFor("counted inactive", () -> {
                    try {
                        DestinationStats st = lab.stats(lab.tcp(), rs);
                        return st.activeConns() == 0 && st.inactiveConns() == 1;
                    } catch (Exception e) {
                        return false;
                    }
                });
                long t0 = System.nanoTime();
                assertThat(endOf(c)).isTrue();
                assertThat((System.nanoTime() - t0) / 1e9).isLessThan(8.0);
            }
            Lab.waitFor("released", () -> lab.dp.openConnections() == 0);
        }
    }

    @Test
    void refusedOperationsSayWhatIsWrong() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            lab.service("rr", rs1);
            assertThatThrownBy(() -> lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr"))))
                    .hasMessageContaining("Service already exists");
            assertThatThrownBy(() -> lab.await(lab.dp.deleteService(lab.udp())))
                    .hasMessageContaining("No such service");
            assertThatThrownBy(() -> lab.await(lab.dp.addDestination(lab.tcp(), DestinationSpec.nat(rs1.address(), 1))))
                    .hasMessageContaining("Destination already exists");
            assertThatThrownBy(() -> lab.await(lab.dp.deleteDestination(lab.tcp(), new InetSocketAddress(lab.address(77), 1))))
                    .hasMessageContaining("No such destination");
            assertThatThrownBy(() -> lab.await(lab.dp.addService(ServiceSpec.of(ServiceKey.tcp(lab.address(3), lab.port), "fifo"))))
                    .hasMessageContaining("unknown scheduler 'fifo'");
            assertThatThrownBy(() -> lab.await(lab.dp.editService(ServiceSpec.of(lab.tcp(), "nope"))))
                    .hasMessageContaining("unknown scheduler 'nope'");
            // a port someone else holds: a clear bind error, and the service is not left behind
            try (var taken = new java.net.ServerSocket(0, 1, lab.address(4))) {
                ServiceKey k = ServiceKey.tcp(lab.address(4), taken.getLocalPort());
                assertThatThrownBy(() -> lab.await(lab.dp.addService(ServiceSpec.of(k, "rr"))))
                        .hasMessageContaining("cannot listen on TCP " + Addresses.format(lab.address(4), taken.getLocalPort()))
                        .hasMessageContaining("in use");
                assertThat(lab.await(lab.dp.stats())).extracting(ServiceStats::key).doesNotContain(k);
            }
            assertThatThrownBy(() -> ServiceKey.tcp(lab.vip, 70000)).hasMessageContaining("out of range");
            assertThatThrownBy(() -> DestinationSpec.nat(rs1.address(), -1)).hasMessageContaining("weight -1");
            assertThatThrownBy(() -> Addresses.parseAddress("example.org")).hasMessageContaining("not a numeric IP");
        }
    }

    @Test
    void editServiceChangesSchedulerOnTheFly() throws Exception {
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.service("rr", rs1, rs2);
            assertThat(List.of(lab.whoAnswers(lab.address(9)), lab.whoAnswers(lab.address(9)))).containsExactly("rs1", "rs2");
            lab.await(lab.dp.editService(ServiceSpec.of(lab.tcp(), "dh")));
            String first = lab.whoAnswers(lab.address(9));
            for (int i = 0; i < 4; i++) assertThat(lab.whoAnswers(lab.address(9))).isEqualTo(first);
            assertThat(lab.await(lab.dp.stats()).get(0).scheduler()).isEqualTo("dh");
        }
    }

    @Test
    void nonNatMethodsAndFwmarkAreReportedOnceAndForwardedAsNat() throws Exception {
        Capture log = Capture.on(Dataplane.class);
        try (Lab lab = new Lab()) {
            EchoServer rs1 = lab.realServer("rs1");
            EchoServer rs2 = lab.realServer("rs2");
            lab.await(lab.dp.addService(ServiceSpec.of(lab.tcp(), "rr").withFwmark(7)));
            lab.await(lab.dp.addDestination(lab.tcp(), new DestinationSpec(rs1.address(), 1, ForwardingMethod.ROUTE, false)));
            lab.await(lab.dp.addDestination(lab.tcp(), new DestinationSpec(rs2.address(), 1, ForwardingMethod.ROUTE, false)));
            assertThat(List.of(lab.whoAnswers(lab.address(9)), lab.whoAnswers(lab.address(9)))).containsExactly("rs1", "rs2");
            assertThat(log.matching("forwarding method Route")).hasSize(1);
            assertThat(log.matching("fwmark 7 of TCP")).hasSize(1);
        } finally {
            log.close();
        }
    }

    /** Collects what a logger logs during a test. */
    static final class Capture extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();

        private Capture(Logger l) {
            logger = l;
            l.addHandler(this);
        }

        static Capture on(Class<?> c) {
            return new Capture(Logger.getLogger(c.getName()));
        }

        List<String> matching(String part) {
            return lines.stream().filter(s -> s.contains(part)).toList();
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
        }
    }
}
