package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.StatusCodes;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;
import piranha.nanny.LoopbackServer;
import piranha.nanny.testing.TestCerts;

/** https checks against loopback TLS servers with certificates made here: SNI, CAs, expiry, client certificates. */
class HttpsCheckTest {
    /** Generous: the JVM's first handshakes (provider set-up, compilation) are slow on a loaded machine. */
    static final Duration TIMEOUT = Duration.ofSeconds(4);
    static final String NAME = "www.example.test";
    static Vertx vertx;
    static CheckEnvironment env;
    @TempDir
    static Path dir;
    static TestCerts.Issued ca;
    static TestCerts.Issued otherCa;
    static TestCerts.Issued server;
    static TestCerts.Issued expired;
    static TestCerts.Issued client;

    @BeforeAll
    static void up() throws Exception {
        vertx = Vertx.vertx();
        env = CheckEnvironment.create(vertx);
        ca = TestCerts.ca(dir, "Test CA");
        otherCa = TestCerts.ca(dir, "Other CA");
        server = TestCerts.leaf(dir, "server", NAME, ca);
        expired = TestCerts.leaf(dir, "expired", NAME, ca, Duration.ofDays(-10), Duration.ofDays(-1));
        client = TestCerts.leaf(dir, "client", "checker.example.test", ca);
        // One handshake before the tests, so that the first test does not pay for the JVM's TLS set-up.
        HttpServer warm = tlsServer(server, false, new CopyOnWriteArrayList<>());
        check(warm.actualPort(), verifyWith(ca));
        warm.close().await();
    }

    @AfterAll
    static void down() {
        vertx.close().await();
    }

    /** A TLS web server answering 200 with the server name the client indicated. */
    static HttpServer tlsServer(TestCerts.Issued cert, boolean clientAuth, List<String> sni) {
        HttpServerOptions o = new HttpServerOptions().setSsl(true).setSni(true).setHost("127.0.0.1").setPort(0)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.certFile().toString())
                        .setKeyPath(cert.keyFile().toString()));
        if (clientAuth) {
            o.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(ca.certFile().toString()));
        }
        return vertx.createHttpServer(o).requestHandler(req -> {
            sni.add(String.valueOf(req.connection().indicatedServerName()));
            req.response().end("ok");
        }).listen().await();
    }

    static Timed check(int port, CheckSpec.Tls tls) throws Exception {
        CheckSpec spec = CheckSpec.of(CheckKind.HTTPS)
                .withHttp(new CheckSpec.Http("GET", "/", NAME, StatusCodes.SUCCESS, null, null, 0)).withTls(tls);
        return CheckHarness.run(vertx, new HttpCheck(vertx, env.resetClient(), new Target("127.0.0.1", port), spec, TIMEOUT));
    }

    static CheckSpec.Tls verifyWith(TestCerts.Issued trusted) {
        return new CheckSpec.Tls(NAME, trusted.certFile().toString(), null, null, null);
    }

    @Test
    void upWithSniAndATrustedCertificateWhoseEndIsReported() throws Exception {
        List<String> sni = new CopyOnWriteArrayList<>();
        HttpServer s = tlsServer(server, false, sni);
        try {
            Timed t = check(s.actualPort(), verifyWith(ca));
            assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
            assertThat(sni).containsExactly(NAME);
            assertThat(t.result().detail().certNotAfter()).isEqualTo(server.cert().getNotAfter().toInstant());
            assertThat(t.result().reason()).contains("certificate valid until " + server.cert().getNotAfter().toInstant());
        } finally {
            s.close().await();
        }
    }

    @Test
    void aCertificateFromAnotherCaIsDownAndNamed() throws Exception {
        HttpServer s = tlsServer(server, false, new CopyOnWriteArrayList<>());
        try {
            Timed t = check(s.actualPort(), verifyWith(otherCa));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("TLS handshake with 127.0.0.1:" + s.actualPort()
                    + " failed: certificate 'CN=" + NAME + "' issued by 'CN=Test CA', valid until "
                    + server.cert().getNotAfter().toInstant() + ": not trusted by " + otherCa.certFile());
        } finally {
            s.close().await();
        }
    }

    @Test
    void aNameThatTheCertificateDoesNotHoldIsRefusedWhenVerifying() throws Exception {
        HttpServer s = tlsServer(server, false, new CopyOnWriteArrayList<>());
        try {
            Timed t = check(s.actualPort(), new CheckSpec.Tls("other.example.test", ca.certFile().toString(), null, null, null));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("TLS handshake with 127.0.0.1:" + s.actualPort()
                    + " failed: certificate 'CN=" + NAME + "'").contains("other.example.test");
        } finally {
            s.close().await();
        }
    }

    @Test
    void anExpiredCertificateIsDownWhenVerifyingAndShownWhenNot() throws Exception {
        HttpServer s = tlsServer(expired, false, new CopyOnWriteArrayList<>());
        try {
            Timed verified = check(s.actualPort(), verifyWith(ca));
            assertThat(verified.result().healthy()).isFalse();
            assertThat(verified.result().reason()).endsWith("valid until " + expired.cert().getNotAfter().toInstant()
                    + ": expired");

            Timed unverified = check(s.actualPort(), new CheckSpec.Tls(NAME, null, null, null, null));
            assertThat(unverified.result().healthy()).isTrue();
            assertThat(unverified.result().detail().certNotAfter()).isBefore(Instant.now());
        } finally {
            s.close().await();
        }
    }

    @Test
    void aServerThatDoesNotSpeakTlsFailsTheHandshake() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.1 400 Bad Request\r\n\r\n"))) {
            Timed t = check(s.port(), verifyWith(ca));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).startsWith("TLS handshake with 127.0.0.1:" + s.port() + " failed: ");
            assertThat(t.elapsedMs()).isLessThan(3900);
        }
    }

    @Test
    void aHandshakeThatNeverEndsIsCutOffAtTheDeadline() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.silent())) {
            Timed t = check(s.port(), verifyWith(ca));
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("connect or TLS handshake to 127.0.0.1:" + s.port()
                    + " timed out after 4 s");
            assertThat(t.elapsedMs()).isBetween(3900L, 6000L);
        }
    }

    @Test
    void aClientCertificateIsPresentedWhenTheServerAsksForIt() throws Exception {
        HttpServer s = tlsServer(server, true, new CopyOnWriteArrayList<>());
        try {
            Timed with = check(s.actualPort(), new CheckSpec.Tls(NAME, ca.certFile().toString(), null,
                    client.certFile().toString(), client.keyFile().toString()));
            assertThat(with.result().healthy()).as(with.result().reason()).isTrue();
            Timed without = check(s.actualPort(), verifyWith(ca));
            assertThat(without.result().healthy()).isFalse();
        } finally {
            s.close().await();
        }
    }

    @Test
    void anUnreadableCaFileIsAFailedCheckThatSaysSo() throws Exception {
        Timed t = check(LoopbackServer.refusedPort(), new CheckSpec.Tls(NAME, "/nonexistent/ca.pem", null, null, null));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).startsWith("cannot use tls_ca /nonexistent/ca.pem: ");
    }
}
