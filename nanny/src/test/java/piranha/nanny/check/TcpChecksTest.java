package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;
import piranha.nanny.LoopbackServer;

/** TCP check kinds against real loopback servers, each misbehaving in one way. */
class TcpChecksTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static Vertx vertx;
    static CheckEnvironment env;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
        env = CheckEnvironment.create(vertx);
    }

    @AfterAll
    static void down() {
        vertx.close().await();
    }

    static Target at(int port) {
        return new Target("127.0.0.1", port);
    }

    static TcpSendExpectCheck sendExpect(int port, String send, String expect, boolean regex) {
        return new TcpSendExpectCheck(vertx, env.netClient(), at(port), send,
                expect == null ? null : Expectation.of(expect, regex), TIMEOUT);
    }

    @Test
    void connectOnlyPassesAgainstAListener() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.silent())) {
            Timed t = CheckHarness.run(vertx, new TcpConnectCheck(vertx, env.connects(), at(s.port()), TIMEOUT));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.result().reason()).isEqualTo("connected to 127.0.0.1:" + s.port());
            assertThat(t.elapsedMs()).isLessThan(500);
        }
    }

    @Test
    void connectAndSendExpectWorkOverIpv6() throws Exception {
        try (ServerSocket six = new ServerSocket()) {
            six.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            Thread t = new Thread(() -> {
                // The connect-only check may close before the reply is written; a reset on one
                // connection must not stop the server from answering the next.
                for (int i = 0; i < 2; i++) {
                    Socket c;
                    try {
                        c = six.accept();
                    } catch (IOException e) {
                        return;
                    }
                    try (c) {
                        c.getOutputStream().write("HTTP/1.0 200 OK\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    } catch (IOException ignored) {
                        // the peer went away first
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            Target v6 = new Target("::1", six.getLocalPort());
            Timed c = CheckHarness.run(vertx, new TcpConnectCheck(vertx, env.connects(), v6, TIMEOUT));
            assertThat(c.result().healthy()).as(c.result().reason()).isTrue();
            assertThat(c.result().reason()).isEqualTo("connected to [::1]:" + six.getLocalPort());
            Timed e = CheckHarness.run(vertx, new TcpSendExpectCheck(vertx, env.netClient(), v6, "GET / HTTP/1.0\r\n\r\n",
                    Expectation.of("HTTP", false), TIMEOUT));
            assertThat(e.result().healthy()).as(e.result().reason()).isTrue();
        }
    }

    @Test
    void connectOnlyFailsFastWhenRefused() throws Exception {
        int port = LoopbackServer.refusedPort();
        Timed t = CheckHarness.run(vertx, new TcpConnectCheck(vertx, env.connects(), at(port), TIMEOUT));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).isEqualTo("connect to 127.0.0.1:" + port + " refused");
        assertThat(t.elapsedMs()).isLessThan(500);
    }

    @Test
    void connectTimesOutWhenTheListenQueueIsFull() throws Exception {
        // A listener that never accepts, with its accept queue filled: Linux drops further SYNs.
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket f = new Socket();
                    try {
                        f.connect(full.getLocalSocketAddress(), 200);
                    } catch (IOException e) {
                        f.close();
                        break;
                    }
                    fillers.add(f);
                }
                Timed t = CheckHarness.run(vertx,
                        new TcpConnectCheck(vertx, env.connects(), at(full.getLocalPort()), TIMEOUT));
                assertThat(t.result().healthy()).isFalse();
                assertThat(t.result().reason())
                        .isEqualTo("connect to 127.0.0.1:" + full.getLocalPort() + " timed out after 1 s");
                assertThat(t.result().logLine()).isEqualTo("CONNECT to 127.0.0.1:" + full.getLocalPort() + " timed out");
                assertThat(t.elapsedMs()).isBetween(900L, 1900L);
            } finally {
                for (Socket f : fillers) {
                    f.close();
                }
            }
        }
    }

    @Test
    void sendExpectPassesOnTheExpectedPrefix() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\nhello"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), "GET / HTTP/1.0\r\n\r\n", "HTTP", false));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.elapsedMs()).isLessThan(800);
        }
    }

    @Test
    void sendExpectReportsWhatCameInstead() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("500 Internal Server Error"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), "GET /", "HTTP", false));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("expected 'HTTP', got '500 Internal Server Error'");
            assertThat(t.elapsedMs()).isLessThan(800);
        }
    }

    @Test
    void aReplySplitOverSeveralSegmentsIsJudgedWhole() throws Exception {
        try (LoopbackServer s = new LoopbackServer(sock -> {
            var out = sock.getOutputStream();
            out.write("HT".getBytes());
            out.flush();
            Thread.sleep(150);
            out.write("TP/1.0 200".getBytes());
            out.flush();
            sock.close();
        })) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "HTTP/1.0", false));
            assertThat(t.result().healthy()).isTrue();
        }
    }

    @Test
    void acceptsButNeverAnswersIsDecidedAtTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.silent())) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), "PING\r\n", "PONG", false));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("read from 127.0.0.1:" + s.port() + " timed out after 1 s, got nothing");
            assertThat(t.result().logLine()).isEqualTo("READ to 127.0.0.1:" + s.port() + " timed out");
            assertThat(t.elapsedMs()).isBetween(900L, 1900L);
        }
    }

    @Test
    void aTrickleIsCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.trickle("HTTP/1.0 200 OK"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "HTTP/1.0", false));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("read from 127.0.0.1:" + s.port() + " timed out after 1 s, got ");
            assertThat(t.result().reason()).containsAnyOf("got 1 bytes 'H'", "got 2 bytes 'HT'");
            assertThat(t.elapsedMs()).isBetween(900L, 1900L);
        }
    }

    @Test
    void megabytesAreNotReadPastTheDecision() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.flood("HTTP/1.1 200 OK\r\n", 50))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "HTTP", false));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.elapsedMs()).isLessThan(800);
        }
    }

    @Test
    void megabytesWithARegexThatNeverMatchesStopAtTheByteCap() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.flood("HTTP/1.1 200 OK\r\n", 50))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "healthy", true));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("expected 'healthy', got 'HTTP/1.1 200 OK\\r\\nxxx");
            assertThat(t.elapsedMs()).isLessThan(900);
        }
    }

    @Test
    void regexFindsItsMatchAnywhereInTheReply() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nstatus=green\n"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), "GET / HTTP/1.0\r\n\r\n", "status=(green|yellow)", true));
            assertThat(t.result().healthy()).isTrue();
        }
    }

    @Test
    void aResetMidwayFails() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.resetAfter("HT"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "HTTP", false));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).satisfiesAnyOf(
                    r -> assertThat(r).startsWith("connection to 127.0.0.1:" + s.port() + " failed after 2 bytes"),
                    r -> assertThat(r).isEqualTo("expected 'HTTP', got 'HT' (closed by server)"));
            assertThat(t.elapsedMs()).isLessThan(800);
        }
    }

    @Test
    void aHalfCloseBeforeEnoughBytesFails() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.halfClose("HT"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "HTTP", false));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("expected 'HTTP', got 'HT' (closed by server)");
            assertThat(t.elapsedMs()).isLessThan(800);
        }
    }

    @Test
    void anyByteExpectationNeedsJustOneByte() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.trickle("Z"))) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "*", false));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.elapsedMs()).isLessThan(800);
        }
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.closeAtOnce())) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), null, "*", false));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("expected '*', got nothing (closed by server)");
        }
    }

    @Test
    void sendWithoutExpectPassesOnceWritten() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.silent())) {
            Timed t = CheckHarness.run(vertx, sendExpect(s.port(), "QUIT\r\n", null, false));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.result().reason()).isEqualTo("sent 6 bytes to 127.0.0.1:" + s.port());
        }
    }

    @Test
    void thePort80DefaultProbeSendsGetAndExpectsHttp() throws Exception {
        StringBuilder seen = new StringBuilder();
        try (LoopbackServer s = new LoopbackServer(sock -> {
            byte[] buf = new byte[64];
            int n = sock.getInputStream().read(buf);
            synchronized (seen) {
                seen.append(new String(buf, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            sock.getOutputStream().write("HTTP/1.0 404 Not Found\r\n\r\n".getBytes());
            sock.close();
        })) {
            piranha.nanny.NannyConfig c = piranha.nanny.NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).build();
            Check check = Checks.forConfig(c, env);
            assertThat(check).isInstanceOf(HttpDefaultProbe.class);
            Timed t = CheckHarness.run(vertx, check);
            assertThat(t.result().healthy()).isTrue();
            synchronized (seen) {
                assertThat(seen.toString()).isEqualTo("GET / HTTP/1.0\r\n\r\n");
            }
        }
    }

    @Test
    void checkKindFollowsPiranhasPrecedence() {
        var b = piranha.nanny.NannyConfig.builder("127.0.0.1", 8080).timeout(1);
        assertThat(Checks.forConfig(b.build(), env)).isInstanceOf(TcpConnectCheck.class);
        assertThat(Checks.forConfig(b.expect("OK").build(), env)).isInstanceOf(TcpSendExpectCheck.class);
        assertThat(Checks.forConfig(b.sendProgram("/bin/true %h").build(), env)).isInstanceOf(SendProgramCheck.class);
        var u = piranha.nanny.NannyConfig.builder("127.0.0.1", 80).timeout(1).protocol(piranha.nanny.NannyConfig.Protocol.UDP);
        assertThat(Checks.forConfig(u.build(), env)).isInstanceOf(UdpCheck.class);
    }
}
