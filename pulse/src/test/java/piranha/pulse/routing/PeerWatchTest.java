package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import piranha.pulse.heartbeat.HeartbeatKey;

class PeerWatchTest {
    static final HeartbeatKey KEY = new HeartbeatKey("sixteen bytes at least".getBytes(StandardCharsets.US_ASCII));
    static final HeartbeatKey OTHER_KEY = new HeartbeatKey("another key of the same length".getBytes(StandardCharsets.US_ASCII));

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
        try (PeerWatch w1 = new PeerWatch(one, List.of(two), port, keepalive, deadtime, null, seenByOne::add).start()) {
            PeerWatch w2 = new PeerWatch(two, List.of(one), port, keepalive, deadtime, null, s -> { }).start();
            assertThat(seenByOne.poll(10, TimeUnit.SECONDS)).containsExactly(two);
            assertThat(w1.sinceHeardMs().get(two)).isBetween(0L, 10_000L);
            w2.close();
            // far sooner than the 30 s deadtime: the leaving datagram
            assertThat(seenByOne.poll(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(w1.live()).isEmpty();
            assertThat(w1.sinceHeardMs().get(two)).isEqualTo(-1L);
        }
    }

    static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, a("127.0.0.1"))) {
            return probe.getLocalPort();
        }
    }

    @Test
    void unsignedDatagramsSayAliveOrLeaving() throws Exception {
        PeerDatagram sender = new PeerDatagram(a("198.51.100.11"), null, 1), receiver = new PeerDatagram(a("198.51.100.12"), null, 2);
        ByteBuffer alive = sender.encode(0);
        assertThat(alive.remaining()).isEqualTo(12);
        assertThat(alive.getInt(0)).isEqualTo(0x50414150);
        assertThat(receiver.decode(alive, a("198.51.100.11"))).isEqualTo(new PeerDatagram.Said(false));
        assertThat(receiver.decode(sender.encode(PeerDatagram.LEAVING), a("198.51.100.11"))).isEqualTo(new PeerDatagram.Said(true));
        assertThat(receiver.decode(ByteBuffer.allocate(12), a("198.51.100.11"))).as("no magic").isNull();
    }

    @Test
    void signedDatagramsCountOnceFromTheRightKeyOnly() throws Exception {
        Inet4Address from = a("198.51.100.11");
        PeerDatagram sender = new PeerDatagram(from, KEY, 1_000), receiver = new PeerDatagram(a("198.51.100.12"), KEY, 2_000);
        ByteBuffer first = sender.encode(0);
        assertThat(first.remaining()).isEqualTo(60);
        byte[] recorded = new byte[60];
        first.get(0, recorded);
        assertThat(receiver.decode(first, from)).isEqualTo(new PeerDatagram.Said(false));
        assertThat(receiver.decode(ByteBuffer.wrap(recorded), from)).as("replayed").isNull();
        ByteBuffer leaving = sender.encode(PeerDatagram.LEAVING);
        byte[] forged = new byte[60];
        leaving.get(0, forged);
        forged[11] ^= 1; // flags changed: the MAC no longer matches
        assertThat(receiver.decode(ByteBuffer.wrap(forged), from)).as("forged").isNull();
        assertThat(receiver.decode(leaving, from)).isEqualTo(new PeerDatagram.Said(true));
        assertThat(receiver.decode(new PeerDatagram(from, OTHER_KEY, 1_000).encode(0), from)).as("another key").isNull();
        assertThat(receiver.decode(new PeerDatagram(from, null, 1_000).encode(0), from)).as("unsigned").isNull();
        assertThat(new PeerDatagram(a("198.51.100.12"), null, 3).decode(sender.encode(0), from)).as("signed, to one without a key")
                .isNull();
        // the sender restarted: a larger epoch counts again from its first sequence
        assertThat(receiver.decode(new PeerDatagram(from, KEY, 5_000).encode(0), from)).isEqualTo(new PeerDatagram.Said(false));
    }

    /** With heartbeat_key_file two real watches hear each other; one with another key is not heard. */
    @Test
    void signedWatchesHearEachOtherAndNotAWatchWithAnotherKey() throws Exception {
        int port = freePort();
        Inet4Address one = a("127.0.0.2"), two = a("127.0.0.3"), three = a("127.0.0.4");
        LinkedBlockingQueue<Set<Inet4Address>> seenByOne = new LinkedBlockingQueue<>();
        Duration keepalive = Duration.ofMillis(100), deadtime = Duration.ofSeconds(30);
        try (PeerWatch w1 = new PeerWatch(one, List.of(two, three), port, keepalive, deadtime, KEY, seenByOne::add).start();
             PeerWatch w3 = new PeerWatch(three, List.of(one, two), port, keepalive, deadtime, OTHER_KEY, s -> { }).start();
             PeerWatch w2 = new PeerWatch(two, List.of(one, three), port, keepalive, deadtime, KEY, s -> { }).start()) {
            assertThat(seenByOne.poll(10, TimeUnit.SECONDS)).containsExactly(two);
            Thread.sleep(500); // five of three's keepalives
            assertThat(w1.live()).containsExactly(two);
            assertThat(w3.live()).isEmpty();
            assertThat(w2.live()).containsExactly(one);
        }
    }
}
