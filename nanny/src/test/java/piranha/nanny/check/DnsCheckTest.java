package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;

/** dns checks against a loopback DNS server (built with dnsjava) that answers, refuses, fails or stays silent. */
class DnsCheckTest {
    static final Duration TIMEOUT = Duration.ofSeconds(1);
    static Vertx vertx;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() {
        vertx.close().await();
    }

    /** A UDP DNS server on 127.0.0.1: each query is answered by {@code answer} (null: no reply). */
    static final class DnsServer implements AutoCloseable {
        final DatagramSocket socket;
        final AtomicInteger queries = new AtomicInteger();

        DnsServer(Function<Message, Message> answer) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(() -> {
                byte[] buf = new byte[4096];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        queries.incrementAndGet();
                        Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                        Message reply = answer.apply(query);
                        if (reply != null) {
                            byte[] out = reply.toWire();
                            socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }, "test-dns");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    static Message reply(Message q, int rcode, Record... answers) {
        Message r = new Message(q.getHeader().getID());
        r.getHeader().setFlag(Flags.QR);
        r.getHeader().setRcode(rcode);
        r.addRecord(q.getQuestion(), Section.QUESTION);
        for (Record a : answers) {
            r.addRecord(a, Section.ANSWER);
        }
        return r;
    }

    static Name name(String s) throws Exception {
        return Name.fromString(s, Name.root);
    }

    static Timed check(int port, String name, String type, String expect) throws Exception {
        return CheckHarness.run(vertx, new DnsCheck(vertx, new Target("127.0.0.1", port),
                new CheckSpec.Dns(name, type, expect), false, TIMEOUT));
    }

    @Test
    void anAnswerOfTheTypePasses() throws Exception {
        InetAddress address = InetAddress.getByAddress(new byte[] {(byte) 198, 51, 100, 7});
        try (DnsServer s = new DnsServer(q -> reply(q, Rcode.NOERROR,
                new ARecord(q.getQuestion().getName(), DClass.IN, 60, address)))) {
            Timed t = check(s.port(), "www.example.test", "A", null);
            assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
            assertThat(t.result().reason()).isEqualTo("DNS www.example.test. A from 127.0.0.1:" + s.port() + ": 198.51.100.7");
            assertThat(t.result().detail().code()).isZero();
            assertThat(check(s.port(), "www.example.test", "A", "^198\\.51\\.100\\.7$").result().healthy()).isTrue();
            Timed wrong = check(s.port(), "www.example.test", "A", "^203\\.");
            assertThat(wrong.result().healthy()).isFalse();
            assertThat(wrong.result().reason()).endsWith(": no answer matches '^203\\.' (got 198.51.100.7)");
        }
    }

    @Test
    void mxTxtAndSoaAnswersAreReadAsDigPrintsThem() throws Exception {
        try (DnsServer s = new DnsServer(q -> {
            try {
                Name n = q.getQuestion().getName();
                return switch (q.getQuestion().getType()) {
                    case org.xbill.DNS.Type.MX -> reply(q, Rcode.NOERROR, new MXRecord(n, DClass.IN, 60, 10, name("mail.example.test")));
                    case org.xbill.DNS.Type.TXT -> reply(q, Rcode.NOERROR, new TXTRecord(n, DClass.IN, 60, "v=ok"));
                    case org.xbill.DNS.Type.SOA -> reply(q, Rcode.NOERROR, new SOARecord(n, DClass.IN, 60, name("ns1.example.test"),
                            name("hostmaster.example.test"), 2026120401, 3600, 600, 86400, 60));
                    default -> reply(q, Rcode.NOERROR);
                };
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })) {
            assertThat(check(s.port(), "example.test", "MX", "^10 mail\\.example\\.test\\.$").result().healthy()).isTrue();
            assertThat(check(s.port(), "example.test", "TXT", "v=ok").result().healthy()).isTrue();
            assertThat(check(s.port(), "example.test", "SOA", " 2026120401 ").result().healthy()).isTrue();
            Timed none = check(s.port(), "example.test", "AAAA", null);
            assertThat(none.result().healthy()).isFalse();
            assertThat(none.result().reason()).isEqualTo("DNS NOERROR from 127.0.0.1:" + s.port()
                    + " for example.test. AAAA but no AAAA record in the answer");
        }
    }

    @Test
    void nxdomainAndServfailFailWithTheirNames() throws Exception {
        try (DnsServer s = new DnsServer(q -> reply(q, Rcode.NXDOMAIN))) {
            Timed t = check(s.port(), "gone.example.test", "A", null);
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("DNS NXDOMAIN from 127.0.0.1:" + s.port() + " for gone.example.test. A");
            assertThat(t.result().detail().code()).isEqualTo(Rcode.NXDOMAIN);
            assertThat(t.elapsedMs()).isLessThan(900);
        }
        try (DnsServer s = new DnsServer(q -> reply(q, Rcode.SERVFAIL))) {
            Timed t = check(s.port(), "www.example.test", "A", null);
            assertThat(t.result().reason()).isEqualTo("DNS SERVFAIL from 127.0.0.1:" + s.port() + " for www.example.test. A");
            assertThat(t.result().detail().code()).isEqualTo(Rcode.SERVFAIL);
        }
    }

    @Test
    void silenceFailsAtTheDeadline() throws Exception {
        try (DnsServer s = new DnsServer(q -> null)) {
            Timed t = check(s.port(), "www.example.test", "A", null);
            assertThat(t.result().healthy()).isFalse();
            assertThat(t.result().reason()).isEqualTo("no DNS answer from 127.0.0.1:" + s.port()
                    + " for www.example.test. A within 1 s");
            assertThat(t.elapsedMs()).isBetween(900L, 2500L);
            assertThat(s.queries.get()).isGreaterThanOrEqualTo(1);
        }
    }
}
