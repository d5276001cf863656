package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
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

/** http checks against real loopback servers that answer right, wrong, slowly or in pieces. */
class HttpCheckTest {
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

    static CheckSpec.Http get(String path) {
        return new CheckSpec.Http("GET", path, null, StatusCodes.SUCCESS, null, null, 0);
    }

    static Timed check(int port, CheckSpec.Http h) throws Exception {
        return CheckHarness.run(vertx, new HttpCheck(vertx, env.resetClient(), new Target("127.0.0.1", port),
                CheckSpec.of(CheckKind.HTTP).withHttp(h), TIMEOUT));
    }

    /** Reads the request head, keeps it in {@code seen}, writes {@code response}, closes. */
    static LoopbackServer.Behaviour answer(String response, List<String> seen) {
        return s -> {
            String head = readHead(s.getInputStream());
            seen.add(head);
            String path = head.split(" ")[1];
            OutputStream out = s.getOutputStream();
            out.write(response.replace("$PATH", path).getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        };
    }

    static LoopbackServer.Behaviour answer(String response) {
        return answer(response, new CopyOnWriteArrayList<>());
    }

    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void passesOnAnExpectedStatusAndSendsOneHttp11RequestWithoutKeepAlive() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", seen))) {
            Timed t = check(s.port(), new CheckSpec.Http("HEAD", "/health?x=1", "www.example.test", StatusCodes.SUCCESS,
                    null, null, 0));
            assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
            assertThat(t.result().reason()).isEqualTo("HTTP 200 OK from 127.0.0.1:" + s.port() + " for HEAD /health?x=1");
            assertThat(t.result().detail().code()).isEqualTo(200);
            assertThat(seen.get(0)).startsWith("HEAD /health?x=1 HTTP/1.1\r\nHost: www.example.test\r\n")
                    .contains("\r\nConnection: close\r\n");
            assertThat(t.elapsedMs()).isLessThan(900);
        }
    }

    @Test
    void theHostHeaderDefaultsToTheRealServersAddressAndPort() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.0 204 No Content\r\n\r\n", seen))) {
            assertThat(check(s.port(), get("/")).result().healthy()).isTrue();
            assertThat(seen.get(0)).contains("\r\nHost: 127.0.0.1:" + s.port() + "\r\n");
        }
    }

    @Test
    void aWrongStatusFailsAtOnceWithTheCode() throws Exception {
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5000\r\n\r\n"))) {
            Timed t = check(s.port(), get("/"));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("HTTP 500 Internal Server Error from 127.0.0.1:" + s.port()
                    + " for GET / (expected 200-299)");
            assertThat(t.result().detail().code()).isEqualTo(500);
            assertThat(t.elapsedMs()).isLessThan(900); // decided on the status line, not at the deadline
        }
    }

    @Test
    void statusListsAndRanges() throws Exception {
        CheckSpec.Http h = new CheckSpec.Http("GET", "/", null, StatusCodes.parse("200-204,301"), null, null, 0);
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 301 Moved\r\nLocation: /x\r\n\r\n"))) {
            assertThat(check(s.port(), h).result().healthy()).isTrue();
        }
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 302 Found\r\nLocation: /x\r\n\r\n"))) {
            Timed t = check(s.port(), h);
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).endsWith("(expected 200-204,301)");
        }
    }

    @Test
    void redirectsAreJudgedUnlessFollowingIsAskedFor() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        LoopbackServer.Behaviour b = s -> {
            String head = readHead(s.getInputStream());
            seen.add(head);
            String response = head.startsWith("GET /ok ") ? "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                    : "HTTP/1.1 302 Found\r\nLocation: http://www.example.test/ok\r\nContent-Length: 0\r\n\r\n";
            s.getOutputStream().write(response.getBytes(StandardCharsets.ISO_8859_1));
        };
        try (LoopbackServer s = new LoopbackServer(b)) {
            Timed t = check(s.port(), get("/"));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().detail().code()).isEqualTo(302);
            assertThat(seen).hasSize(1);

            Timed followed = check(s.port(), new CheckSpec.Http("GET", "/", null, StatusCodes.SUCCESS, null, null, 1));
            assertThat(followed.result().healthy()).as(followed.result().reason()).isTrue();
            assertThat(followed.result().reason()).contains("for GET /ok");
            assertThat(seen.get(2)).startsWith("GET /ok HTTP/1.1\r\nHost: www.example.test\r\n");
        }
    }

    @Test
    void slowHeadersAreCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(sock -> {
            readHead(sock.getInputStream());
            sock.getOutputStream().write("HTTP/1.1 200 OK\r\nServer: slow\r\n".getBytes());
            sock.getOutputStream().flush();
            Thread.sleep(5000);
        })) {
            Timed t = check(s.port(), get("/"));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("http GET / to 127.0.0.1:" + s.port()
                    + " timed out after 1 s: headers incomplete (31 bytes)");
            assertThat(t.elapsedMs()).isBetween(900L, 2500L);
        }
    }

    @Test
    void aTrickleNeverStretchesTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(sock -> {
            readHead(sock.getInputStream());
            OutputStream out = sock.getOutputStream();
            for (byte b : "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes()) {
                out.write(b);
                out.flush();
                Thread.sleep(100); // ten bytes a second: always something new, never done
            }
        })) {
            Timed t = check(s.port(), new CheckSpec.Http("GET", "/", null, StatusCodes.SUCCESS, "never", null, 0));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("http GET / to 127.0.0.1:" + s.port() + " timed out after 1 s: ");
            assertThat(t.elapsedMs()).isBetween(900L, 2500L);
        }
    }

    @Test
    void aSilentServerFailsAtTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.silent())) {
            Timed t = check(s.port(), get("/"));
            assertThat(t.result().reason()).isEqualTo("http GET / to 127.0.0.1:" + s.port() + " timed out after 1 s: no response");
            assertThat(t.result().logLine()).isEqualTo("READ to 127.0.0.1:" + s.port() + " timed out");
        }
    }

    @Test
    void refusedAndGarbage() throws Exception {
        int port = LoopbackServer.refusedPort();
        Timed refused = check(port, get("/"));
        assertThat(refused.result().reason()).isEqualTo("connect to 127.0.0.1:" + port + " refused");
        try (LoopbackServer s = new LoopbackServer(answer("SSH-2.0-OpenSSH_9.2\r\n\r\n"))) {
            Timed t = check(s.port(), get("/"));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("http from 127.0.0.1:" + s.port()
                    + ": not an HTTP/1.x response: 'SSH-2.0-OpenSSH_9.2'");
        }
    }

    @Test
    void theBodyIsSearchedForTheExpectedText() throws Exception {
        CheckSpec.Http green = new CheckSpec.Http("GET", "/status", null, StatusCodes.SUCCESS, "status=(green|yellow)", null, 0);
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "7\r\nstatus=\r\n5\r\ngreen\r\n0\r\n\r\n"))) {
            Timed t = check(s.port(), green);
            assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
            assertThat(t.result().reason()).endsWith("body matches 'status=(green|yellow)'");
        }
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nstatus=red"))) {
            Timed t = check(s.port(), green);
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).endsWith(": body does not contain 'status=(green|yellow)' (10 bytes)");
        }
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.flood("HTTP/1.1 200 OK\r\n\r\n", 20))) {
            Timed t = check(s.port(), green);
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).endsWith("(its first 65536 bytes)");
            assertThat(t.elapsedMs()).isLessThan(900);
        }
    }

    @Test
    void theDigestCoversTheWholeBody() throws Exception {
        String body = "x".repeat(200_000);
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes()));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 200 OK\r\n\r\n" + body))) {
            Timed t = check(s.port(), new CheckSpec.Http("GET", "/", null, StatusCodes.SUCCESS, null, md5, 0));
            assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
            assertThat(check(s.port(), new CheckSpec.Http("GET", "/", null, StatusCodes.SUCCESS, null, sha, 0))
                    .result().healthy()).isTrue();
        }
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nxxxy"))) {
            Timed t = check(s.port(), new CheckSpec.Http("GET", "/", null, StatusCodes.SUCCESS, null, md5, 0));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).contains(": body digest ").endsWith(", expected " + md5 + " (4 bytes)");
        }
    }

    @Test
    void aBodyCutShortFails() throws Exception {
        try (LoopbackServer s = new LoopbackServer(answer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"))) {
            Timed t = check(s.port(), new CheckSpec.Http("GET", "/", null, StatusCodes.SUCCESS, "never", null, 0));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("http from 127.0.0.1:" + s.port()
                    + ": closed before the end of the body (5 bytes read)");
        }
    }

}
