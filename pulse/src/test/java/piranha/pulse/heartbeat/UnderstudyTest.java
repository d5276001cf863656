package piranha.pulse.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import piranha.pulse.state.Heartbeat;
import piranha.pulse.state.PeerState;

/**
 * The understudy on its own: signed heartbeats it is handed go out when the heartbeat thread is half a
 * keepalive overdue, one round per keepalive, no more rounds than fit in the deadtime, and they pass
 * the partner's authentication and replay window as the heartbeat thread's own do.
 */
class UnderstudyTest {
    static final int PRIMARY = 0x7f000001;
    static final int BACKUP = 0x7f000002;
    static final long KEEPALIVE = 40_000_000L;
    final HeartbeatKey key = new HeartbeatKey("correct horse battery staple".getBytes());
    final AuthenticatedCodec ours = new AuthenticatedCodec(key, true, PRIMARY, BACKUP, 1000);
    final AuthenticatedCodec partners = new AuthenticatedCodec(key, false, BACKUP, PRIMARY, 2000);

    DatagramSocket partner;
    Selector selector;
    HeartbeatPaths paths;
    Understudy understudy;

    @BeforeEach
    void bind() throws Exception {
        partner = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
        partner.setSoTimeout(50);
        selector = Selector.open();
        paths = new HeartbeatPaths(selector, (level, line) -> { });
        paths.bind(List.of(new HeartbeatLoop.Path("public", InetAddress.getByName("127.0.0.1"),
                InetAddress.getByName("127.0.0.2"))), partner.getLocalPort());
        understudy = Understudy.onSpareCpu(new int[] {0, 1}, (level, line) -> { }, tid -> { }, 1);
    }

    @AfterEach
    void close() throws Exception {
        understudy.close();
        paths.close();
        selector.close();
        partner.close();
    }

    @Test
    void sendsOneRoundPerKeepaliveFromHalfAKeepaliveLateUntilTheDeadtimeIsCovered() throws Exception {
        // the heartbeat thread sends, hands over the cover for a 0.12 s deadtime, and is held up
        paths.send(ours, PeerState.RUNNING, new HeartbeatCounters());
        long sent = System.nanoTime();
        understudy.heartbeatSent(paths, ours, PeerState.RUNNING, KEEPALIVE, 3 * KEEPALIVE);

        List<Long> at = new ArrayList<>();
        List<Decoded> heard = new ArrayList<>();
        receiveFor(600, at, heard);

        assertThat(heard).hasSize(4); // the heartbeat thread's own and three rounds: 0.12 s / 0.04 s
        assertThat(heard).allSatisfy(d -> assertThat(d.heartbeat()).isEqualTo(new Heartbeat(PeerState.RUNNING, true, PRIMARY)));
        // rounds at 1.5, 2.5 and 3.5 keepalives after the heartbeat thread's send, never before
        for (int round = 1; round <= 3; round++) {
            assertThat(at.get(round) - sent).isGreaterThanOrEqualTo(KEEPALIVE * round + KEEPALIVE / 2);
        }
        assertThat(understudy.sent()).isEqualTo(3);
    }

    @Test
    void aHeartbeatThreadSendingOnTimeLeavesNothingToCover() throws Exception {
        List<Long> at = new ArrayList<>();
        List<Decoded> heard = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            paths.send(ours, PeerState.STOPPED, new HeartbeatCounters());
            understudy.heartbeatSent(paths, ours, PeerState.STOPPED, KEEPALIVE, 3 * KEEPALIVE);
            receiveFor(KEEPALIVE / 2 / 1_000_000, at, heard);
        }
        understudy.heartbeatSent(paths, ours, PeerState.STOPPED, KEEPALIVE, 1_000_000_000L); // a long deadtime: no cover
        receiveFor(300, at, heard);

        assertThat(understudy.sent()).isZero();
        assertThat(heard).hasSize(10);
    }

    @Test
    void roundsSignedAheadPassTheReplayWindowInAnyOrderButOnlyOnce() {
        ByteBuffer own = ours.encode(PeerState.RUNNING);
        List<List<Understudy.Datagram>> ahead = paths.signAhead(ours, PeerState.RUNNING, 3);
        ByteBuffer next = ours.encode(PeerState.RUNNING); // the heartbeat thread's next, after the rounds

        assertThat(partners.decode(own).isAccepted()).isTrue();
        assertThat(partners.decode(next.duplicate()).isAccepted()).isTrue();
        // a round sent while the heartbeat thread came back arrives after its newer heartbeat: still heard once
        ByteBuffer late = ahead.get(0).get(0).bytes();
        assertThat(partners.decode(late.duplicate()).isAccepted()).isTrue();
        assertThat(partners.decode(late.duplicate()).rejection()).isEqualTo(Rejection.REPLAYED);
        assertThat(partners.decode(next.duplicate()).rejection()).isEqualTo(Rejection.REPLAYED);
    }

    @Test
    void noUnderstudyWithOneCpu() {
        assertThat(Understudy.onSpareCpu(new int[] {3}, (level, line) -> { }, tid -> { }, 1)).isNull();
        assertThat(Understudy.onSpareCpu(new int[0], (level, line) -> { }, tid -> { }, 1)).isNull();
    }

    /** Everything the partner receives within ms: arrival times (monotonic ns) and what it decodes. */
    void receiveFor(long ms, List<Long> at, List<Decoded> heard) throws Exception {
        long end = System.nanoTime() + ms * 1_000_000;
        byte[] buf = new byte[512];
        while (System.nanoTime() - end < 0) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                partner.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            at.add(System.nanoTime());
            Decoded d = partners.decode(ByteBuffer.wrap(Arrays.copyOf(p.getData(), p.getLength())));
            assertThat(d.isAccepted()).as("rejected: " + d.rejection()).isTrue();
            heard.add(d);
        }
    }
}
