package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PeerWatchTest {
    static Inet4Address a(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    static final long S = 1_000_000_000L;

    @Test
    void aPeerIsLiveWhileHeardWithinDeadtime() throws Exception {
        PeerWatch.Liveness l = new PeerWatch.Liveness(List.of(a("198.51.100.12"), a("198.51.100.13")), Duration.ofSeconds(2));
        assertThat(l.live(0)).isEmpty();
        assertThat(l.nextExpiry(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(l.heard(a("198.51.100.13"), false, 10 * S)).isTrue();
        assertThat(l.live(11 * S)).containsExactly(a("198.51.100.13"));
        assertThat(l.nextExpiry(11 * S)).isEqualTo(12 * S);
        assertThat(l.live(12 * S)).isEmpty();
    }

    @Test
    void aLeavingPeerIsDroppedAtOnceAndStrangersAreNotCounted() throws Exception {
        PeerWatch.Liveness l = new PeerWatch.Liveness(List.of(a("198.51.100.12")), Duration.ofSeconds(2));
        l.heard(a("198.51.100.12"), false, S);
        assertThat(l.live(S)).hasSize(1);
        l.heard(a("198.51.100.12"), true, S + 1);
        assertThat(l.live(S + 2)).isEmpty();
        assertThat(l.heard(a("198.51.100.99"), false, S)).isFalse();
        assertThat(l.live(S)).isEmpty();
    }

    /** Two real watches on loopback addresses hear each other; one that closes is gone at once for the other. */
    @Test
    void twoDirectorsHearEachOtherAndALeavingOneIsGoneBeforeDeadtime() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, a("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Inet4Address one = a("127.0.0.2"), two = a("127.0.0.3");
        LinkedBlockingQueue<Set<Inet4Address>> seenByOne = new LinkedBlockingQueue<>();
        Duration keepalive = Duration.ofMillis(100), deadtime = Duration.ofSeconds(30);
        try (PeerWatch w1 = new PeerWatch(one, List.of(two), port, keepalive, deadtime, seenByOne::add).start()) {
            PeerWatch w2 = new PeerWatch(two, List.of(one), port, keepalive, deadtime, s -> { }).start();
            assertThat(seenByOne.poll(10, TimeUnit.SECONDS)).containsExactly(two);
            assertThat(w1.sinceHeardMs().get(two)).isBetween(0L, 10_000L);
            w2.close();
            // far sooner than the 30 s deadtime: the leaving datagram
            assertThat(seenByOne.poll(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(w1.live()).isEmpty();
            assertThat(w1.sinceHeardMs().get(two)).isEqualTo(-1L);
        }
    }
}
