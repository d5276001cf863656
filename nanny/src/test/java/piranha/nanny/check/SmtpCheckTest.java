package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;
import piranha.nanny.LoopbackServer;

/** smtp checks against loopback mail servers that greet, refuse, stall or trickle. */
class SmtpCheckTest {
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

    static Timed check(int port) throws Exception {
        return CheckHarness.run(vertx, new SmtpCheck(vertx, env.resetClient(), new Target("127.0.0.1", port),
                "director.example.test", TIMEOUT));
    }

    /** Greets with {@code banner}, then answers EHLO with {@code ehlo}; the lines received go to {@code seen}. */
    static LoopbackServer.Behaviour mailServer(String banner, String ehlo, List<String> seen) {
        return s -> {
            OutputStream out = s.getOutputStream();
            out.write(banner.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            for (String line; (line = in.readLine()) != null; ) {
                seen.add(line);
                if (line.startsWith("EHLO")) {
                    out.write(ehlo.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            }
        };
    }

    @Test
    void bannerThenEhloPasses() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (LoopbackServer s = new LoopbackServer(mailServer("220-mx.example.test ESMTP\r\n220 ready\r\n",
                "250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n", seen))) {
            Timed t = check(s.port());
            assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
            assertThat(t.result().reason()).isEqualTo("SMTP 250 from 127.0.0.1:" + s.port() + " to EHLO director.example.test");
            assertThat(t.result().detail().code()).isEqualTo(250);
            assertThat(seen.get(0)).isEqualTo("EHLO director.example.test");
            assertThat(t.elapsedMs()).isLessThan(900);
        }
    }

    @Test
    void a554BannerFailsWithTheServersWords() throws Exception {
        try (LoopbackServer s = new LoopbackServer(mailServer("554 mx.example.test no service for you\r\n", "", new CopyOnWriteArrayList<>()))) {
            Timed t = check(s.port());
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("SMTP banner 554 from 127.0.0.1:" + s.port()
                    + ": '554 mx.example.test no service for you'");
            assertThat(t.result().detail().code()).isEqualTo(554);
            assertThat(t.elapsedMs()).isLessThan(900);
        }
    }

    @Test
    void aRefusedEhloFails() throws Exception {
        try (LoopbackServer s = new LoopbackServer(mailServer("220 ready\r\n", "502 command not implemented\r\n",
                new CopyOnWriteArrayList<>()))) {
            Timed t = check(s.port());
            assertThat(t.result().reason()).isEqualTo("SMTP EHLO director.example.test answered 502 by 127.0.0.1:" + s.port()
                    + ": '502 command not implemented'");
        }
    }

    @Test
    void aServerThatNeverGreetsOrTricklesIsCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.silent())) {
            Timed t = check(s.port());
            assertThat(t.result().reason()).isEqualTo("SMTP 127.0.0.1:" + s.port() + " timed out after 1 s waiting for the banner");
            assertThat(t.elapsedMs()).isBetween(900L, 2500L);
        }
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.trickle("220 a very slow greeting\r\n"))) {
            Timed t = check(s.port());
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("SMTP 127.0.0.1:" + s.port() + " timed out after 1 s waiting for the banner, got '2");
            assertThat(t.elapsedMs()).isBetween(900L, 2500L);
        }
    }

    @Test
    void somethingElseThanSmtpFails() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.1 400 Bad Request\r\n\r\n"))) {
            Timed t = check(s.port());
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("SMTP 127.0.0.1:" + s.port() + " sent something else than an SMTP reply");
        }
    }
}
