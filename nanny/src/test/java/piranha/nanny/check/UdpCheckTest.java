package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;

/** UDP checks against real loopback datagram servers. */
class UdpCheckTest {
    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() {
        vertx.close().await();
    }

    /** A UDP server answering each datagram with {@code answer(request)}, or never when it returns null. */
    static DatagramSocket server(Function<String, String> answer) throws SocketException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!s.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    String reply = answer.apply(new String(p.getData(), 0, p.getLength()));
                    if (reply != null) {
                        byte[] r = reply.getBytes();
                        s.send(new DatagramPacket(r, r.length, p.getSocketAddress()));
                    }
                } catch (Exception e) {
                    return;
                }
            }
        }, "test-udp");
        t.setDaemon(true);
        t.start();
        return s;
    }

    static UdpCheck check(int port, String send, String expect) {
        return new UdpCheck(vertx, UdpProbes.shared(), new Target("127.0.0.1", port), send,
                expect == null ? null : Expectation.of(expect, false), Duration.ofSeconds(1));
    }

    @Test
    void aReplyMatchingExpectPasses() throws Exception {
        try (DatagramSocket s = server(req -> req.equals("ping") ? "pong" : "what?")) {
            Timed t = CheckHarness.run(vertx, check(s.getLocalPort(), "ping", "pong"));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.elapsedMs()).isLessThan(500);
        }
    }

    @Test
    void anyReplyPassesWithoutExpect() throws Exception {
        try (DatagramSocket s = server(req -> "whatever")) {
            Timed t = CheckHarness.run(vertx, check(s.getLocalPort(), "status", null));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.result().reason()).isEqualTo("got reply from 127.0.0.1:" + s.getLocalPort() + " (udp)");
        }
    }

    @Test
    void withoutASendStringNothingIsSentAndSilenceFails() throws Exception {
        try (DatagramSocket s = server(req -> "whatever")) {
            Timed t = CheckHarness.run(vertx, check(s.getLocalPort(), null, null));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.elapsedMs()).isBetween(900L, 1900L);
        }
    }

    @Test
    void aWrongReplyFails() throws Exception {
        try (DatagramSocket s = server(req -> "ERR busy")) {
            Timed t = CheckHarness.run(vertx, check(s.getLocalPort(), "ping", "pong"));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("expected 'pong', got 'ERR busy'");
        }
    }

    @Test
    void silenceFailsAtTheDeadline() throws Exception {
        try (DatagramSocket s = server(req -> null)) {
            Timed t = CheckHarness.run(vertx, check(s.getLocalPort(), "ping", "pong"));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("no reply from 127.0.0.1:" + s.getLocalPort() + " (udp) within 1 s");
            assertThat(t.result().logLine()).isEqualTo("READ to 127.0.0.1:" + s.getLocalPort() + " timed out");
            assertThat(t.elapsedMs()).isBetween(900L, 1900L);
        }
    }

    @Test
    void aClosedPortFailsFastOnIcmpUnreachable() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        Timed t = CheckHarness.run(vertx, check(port, "ping", null));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).isEqualTo("port unreachable: 127.0.0.1:" + port + " (udp)");
        assertThat(t.elapsedMs()).isLessThan(500);
    }
}
