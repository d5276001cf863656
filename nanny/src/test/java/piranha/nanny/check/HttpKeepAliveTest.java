package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;
import static piranha.nanny.check.HttpCheckTest.readHead;

import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.StatusCodes;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;
import piranha.nanny.LoopbackServer;

/** {@code http_keepalive = 1}: one connection across checks, replaced when the server drops it, same deadline. */
class HttpKeepAliveTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
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

    static HttpCheck check(int port, boolean keepAlive) {
        CheckSpec.Http h = new CheckSpec.Http("GET", "/health", null, StatusCodes.SUCCESS, null, null, 0, keepAlive);
        return new HttpCheck(vertx, env.resetClient(), new Target("127.0.0.1", port),
                CheckSpec.of(CheckKind.HTTP).withHttp(h), TIMEOUT);
    }

    /** Answers {@code answers} requests on one connection (at most), then stops answering; records each request head. */
    static LoopbackServer.Behaviour persistent(int answers, List<String> seen) {
        return s -> {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < answers; i++) {
                String head = readHead(in);
                if (head.isEmpty()) {
                    return; // the client closed
                }
                seen.add(head);
                out.write(OK.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        };
    }

    @Test
    void oneConnectionServesEveryCheck() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer s = new LoopbackServer(persistent(100, seen))) {
            HttpCheck check = check(s.port(), true);
            for (int i = 0; i < 5; i++) {
                Timed t = CheckHarness.run(vertx, check);
                assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
                assertThat(t.result().reason()).isEqualTo("HTTP 200 OK from 127.0.0.1:" + s.port() + " for GET /health");
            }
            assertThat(seen).hasSize(5);
            assertThat(seen.get(0)).startsWith("GET /health HTTP/1.1\r\n").contains("\r\nConnection: keep-alive\r\n");
            assertThat(s.accepted()).isEqualTo(1);
            check.close();
        }
    }

    @Test
    void withoutTheKeyEveryCheckHasItsOwnConnection() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer s = new LoopbackServer(persistent(100, seen))) {
            HttpCheck check = check(s.port(), false);
            for (int i = 0; i < 3; i++) {
                assertThat(CheckHarness.run(vertx, check).result().healthy()).isTrue();
            }
            assertThat(seen.get(0)).contains("\r\nConnection: close\r\n");
            assertThat(s.accepted()).isEqualTo(3);
        }
    }

    @Test
    void aConnectionTheServerClosedBetweenChecksIsReplaced() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        // One answer per connection, then the server closes it (a keep-alive timeout of zero).
        try (LoopbackServer s = new LoopbackServer(persistent(1, seen))) {
            HttpCheck check = check(s.port(), true);
            assertThat(CheckHarness.run(vertx, check).result().healthy()).isTrue();
            Thread.sleep(200); // the close has arrived: the kept connection is dropped
            Timed second = CheckHarness.run(vertx, check);
            assertThat(second.result().healthy()).as(second.result().reason()).isTrue();
            assertThat(s.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aConnectionClosedInsteadOfAnsweredIsRetriedOnANewOneWithinTheCheck() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        // The first connection answers once, then reads the next request and closes without an
        // answer: the race of a server's keep-alive timeout with the next check.
        LoopbackServer.Behaviour b = new LoopbackServer.Behaviour() {
            private boolean first = true;

            @Override
            public synchronized void serve(Socket sock) throws java.io.IOException {
                boolean closeOnSecond = first;
                first = false;
                InputStream in = sock.getInputStream();
                String head = readHead(in);
                seen.add(head);
                sock.getOutputStream().write(OK.getBytes(StandardCharsets.ISO_8859_1));
                sock.getOutputStream().flush();
                if (closeOnSecond) {
                    readHead(in);
                    sock.close();
                    return;
                }
                for (String h; !(h = readHead(in)).isEmpty(); ) {
                    seen.add(h);
                    sock.getOutputStream().write(OK.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
        };
        try (LoopbackServer s = new LoopbackServer(b)) {
            HttpCheck check = check(s.port(), true);
            assertThat(CheckHarness.run(vertx, check).result().healthy()).isTrue();
            Timed second = CheckHarness.run(vertx, check);
            assertThat(second.result().healthy()).as(second.result().reason()).isTrue();
            assertThat(second.elapsedMs()).isLessThan(900);
            assertThat(s.accepted()).isEqualTo(2);
            assertThat(seen).hasSize(2); // one answered on each connection; the unanswered request is not counted
            check.close();
        }
    }

    @Test
    void aTrickleOnAKeptConnectionStillEndsAtTheDeadline() throws Exception {
        LoopbackServer.Behaviour b = sock -> {
            InputStream in = sock.getInputStream();
            OutputStream out = sock.getOutputStream();
            readHead(in);
            out.write(OK.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            readHead(in);
            for (byte x : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(x);
                out.flush();
                Thread.sleep(100); // ten bytes a second: always something new, never done in time
            }
        };
        try (LoopbackServer s = new LoopbackServer(b)) {
            HttpCheck check = check(s.port(), true);
            assertThat(CheckHarness.run(vertx, check).result().healthy()).isTrue();
            Timed t = CheckHarness.run(vertx, check);
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("http GET /health to 127.0.0.1:" + s.port()
                    + " timed out after 1 s: headers incomplete (");
            assertThat(t.elapsedMs()).isBetween(900L, 2500L);
            assertThat(s.accepted()).isEqualTo(1);
            // The cut-off connection is not kept: the next check opens a new one.
            CheckHarness.run(vertx, check);
            assertThat(s.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aResponseThatClosesTheConnectionIsNotKept() throws Exception {
        try (LoopbackServer s = new LoopbackServer(sock -> {
            InputStream in = sock.getInputStream();
            for (String h; !(h = readHead(in)).isEmpty(); ) {
                sock.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
        })) {
            HttpCheck check = check(s.port(), true);
            assertThat(CheckHarness.run(vertx, check).result().healthy()).isTrue();
            assertThat(CheckHarness.run(vertx, check).result().healthy()).isTrue();
            assertThat(s.accepted()).isEqualTo(2);
        }
    }
}
