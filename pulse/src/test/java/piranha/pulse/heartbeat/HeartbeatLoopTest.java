package piranha.pulse.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import piranha.pulse.state.Action;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Settings;

/** The heartbeat thread on loopback (127.0.0.1 = us, 127.0.0.2 = a hand-driven partner). */
class HeartbeatLoopTest {

    @Test
    void sendsOnScheduleTakesOverWhenSilentAndJudgesWhatArrives() throws Exception {
        InetAddress us = InetAddress.getByName("127.0.0.1");
        InetAddress partnerIp = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket partner = new DatagramSocket(new InetSocketAddress(partnerIp, 0));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0))) {
            int port = partner.getLocalPort();
            partner.setSoTimeout(2000);
            LinkedBlockingQueue<Action> actions = new LinkedBlockingQueue<>();
            FailoverMachine machine = new FailoverMachine(
                    new Settings(true, true, Duration.ofMillis(300), false, null, 1), System::nanoTime);
            HeartbeatLoop loop = new HeartbeatLoop(List.of(new HeartbeatLoop.Path("public", us, partnerIp)), port,
                    Duration.ofMillis(50), new PiranhaCodec(), machine, actions::add, true);
            try {
                loop.start();
                assertThat(actions.poll(5, TimeUnit.SECONDS)).isEqualTo(new Action.Deactivate()); // start-up clean-up
                // a silent partner: "stopped" heartbeats until deadtime, then we take over and say "running"
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                partner.receive(p);
                assertThat(p.getLength()).isEqualTo(4);
                assertThat(p.getAddress()).isEqualTo(us);
                assertThat(p.getPort()).as("source port is the heartbeat port").isEqualTo(port);
                assertThat(new PiranhaCodec().decode(ByteBuffer.wrap(p.getData(), 0, 4)).heartbeat().state())
                        .isEqualTo(PeerState.STOPPED);
                assertThat(actions.poll(5, TimeUnit.SECONDS)).isEqualTo(new Action.Activate());
                PeerState last = null;
                long t0 = System.nanoTime();
                int n = 0;
                while (last != PeerState.RUNNING && n < 100) {
                    partner.receive(p);
                    last = new PiranhaCodec().decode(ByteBuffer.wrap(p.getData(), 0, 4)).heartbeat().state();
                    n++;
                }
                assertThat(last).isEqualTo(PeerState.RUNNING);
                // about one datagram per keepalive
                for (int i = 0; i < 10; i++) partner.receive(p);
                double perSecond = 10 / ((System.nanoTime() - t0) / 1e9);
                assertThat(perSecond).isBetween(5.0, 40.0);

                byte[] running = new PiranhaCodec().encode(PeerState.RUNNING).array();
                stranger.send(new DatagramPacket(running, 4, new InetSocketAddress(us, port)));
                partner.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, new InetSocketAddress(us, port)));
                partner.send(new DatagramPacket(running, 4, new InetSocketAddress(us, port)));
                assertThat(actions.poll(5, TimeUnit.SECONDS)).as("both active: primary re-announces")
                        .isEqualTo(new Action.Reannounce());
                HeartbeatCounters.Snapshot c = loop.query(HeartbeatLoop::counters).get(5, TimeUnit.SECONDS);
                assertThat(c.received()).isEqualTo(1);
                assertThat(c.rejected()).containsEntry(Rejection.WRONG_SOURCE, 1L).containsEntry(Rejection.TRUNCATED, 1L);
                assertThat(c.sent()).isGreaterThanOrEqualTo(10);
                assertThat(loop.query(l -> l.machine().active()).get(5, TimeUnit.SECONDS)).isTrue();
            } finally {
                loop.close();
            }
        }
    }
}
