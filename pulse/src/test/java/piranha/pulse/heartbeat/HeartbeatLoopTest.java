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
import piranha.pulse.state.PeerState;
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
                    new Settings(true, true, Duration.ofMillis(300), false, null, 1, false), System::nanoTime);
            HeartbeatLoop loop = new HeartbeatLoop(List.of(new HeartbeatLoop.Path("public", us, partnerIp)), port,
                    Duration.ofMillis(50), new PiranhaCodec(), machine, actions::add, true);
            try {
                loop.start();
                assertThat(actions.poll(5, TimeUnit.SECONDS)).isEqualTo(new Action.Deactivate(false)); // start-up clean-up
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
                int n = 0;
                while (last != PeerState.RUNNING && n < 100) {
                    partner.receive(p);
                    last = new PiranhaCodec().decode(ByteBuffer.wrap(p.getData(), 0, 4)).heartbeat().state();
                    n++;
                }
                assertThat(last).isEqualTo(PeerState.RUNNING);
                // about one datagram per keepalive, counted from now: what queued while this thread was
                // held up (a cold JVM) is read first, or it would pass for a burst
                partner.setSoTimeout(5);
                try {
                    for (int i = 0; i < 1000; i++) partner.receive(p);
                } catch (java.net.SocketTimeoutException drained) {
                    // nothing more queued
                }
                partner.setSoTimeout(2000);
                long t0 = System.nanoTime();
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

    /** A held-up heartbeat thread takes in what arrived meanwhile before it judges the partner dead. */
    @Test
    void aStallOfItsOwnIsNotThePartnersDeath() throws Exception {
        InetAddress us = InetAddress.getByName("127.0.0.1");
        InetAddress partnerIp = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket partner = new DatagramSocket(new InetSocketAddress(partnerIp, 0))) {
            int port = partner.getLocalPort();
            LinkedBlockingQueue<Action> actions = new LinkedBlockingQueue<>();
            FailoverMachine machine = new FailoverMachine(
                    new Settings(false, true, Duration.ofSeconds(1), false, null, 2, false), System::nanoTime);
            HeartbeatLoop loop = new HeartbeatLoop(List.of(new HeartbeatLoop.Path("public", us, partnerIp)), port,
                    Duration.ofMillis(50), new PiranhaCodec(), machine, actions::add, true);
            byte[] running = new PiranhaCodec().encode(PeerState.RUNNING).array();
            InetSocketAddress to = new InetSocketAddress(us, port);
            try {
                loop.start();
                assertThat(actions.poll(5, TimeUnit.SECONDS)).isEqualTo(new Action.Deactivate(false));
                partner.send(new DatagramPacket(running, 4, to));
                // the query may be answered before the datagram is read: ask until it has been (5 s at most)
                String heard = "";
                for (int i = 0; i < 100 && !heard.equals("RUNNING"); i++) {
                    heard = loop.query(l -> l.machine().partner().name()).get(5, TimeUnit.SECONDS);
                    if (!heard.equals("RUNNING")) Thread.sleep(50);
                }
                assertThat(heard).isEqualTo("RUNNING");
                // the thread is held for two deadtimes while the partner keeps sending
                loop.post(() -> {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                for (int i = 0; i < 48; i++) {
                    partner.send(new DatagramPacket(running, 4, to));
                    Thread.sleep(50);
                }
                Thread.sleep(200);
                assertThat(loop.query(l -> l.machine().active()).get(5, TimeUnit.SECONDS)).isFalse();
                assertThat(actions).as("no takeover").doesNotContain(new Action.Activate());
            } finally {
                loop.close();
            }
        }
    }

    /** SIGHUP's new port: the sockets are bound anew; a port that cannot be bound leaves the old ones. */
    @Test
    void reconfigureRebindsOrKeepsTheOldSockets() throws Exception {
        InetAddress us = InetAddress.getByName("127.0.0.1");
        InetAddress partnerIp = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket partner = new DatagramSocket(new InetSocketAddress(partnerIp, 0));
             DatagramSocket partnerNew = new DatagramSocket(new InetSocketAddress(partnerIp, 0));
             DatagramSocket taken = new DatagramSocket(new InetSocketAddress(us, 0))) {
            partner.setSoTimeout(2000);
            partnerNew.setSoTimeout(2000);
            List<HeartbeatLoop.Path> paths = List.of(new HeartbeatLoop.Path("public", us, partnerIp));
            FailoverMachine machine = new FailoverMachine(
                    new Settings(true, true, Duration.ofSeconds(5), false, null, 1, false), System::nanoTime);
            HeartbeatLoop loop = new HeartbeatLoop(paths, partner.getLocalPort(), Duration.ofMillis(50),
                    new PiranhaCodec(), machine, a -> { }, true);
            try {
                loop.start();
                DatagramPacket p = new DatagramPacket(new byte[64], 64);
                partner.receive(p);
                assertThat(p.getPort()).isEqualTo(partner.getLocalPort());

                assertThat(loop.reconfigure(paths, taken.getLocalPort(), new PiranhaCodec(), true).handle((r, e) -> e)
                        .get(5, TimeUnit.SECONDS)).hasMessageContaining("cannot bind the heartbeat socket to port "
                                + taken.getLocalPort());
                partner.receive(p); // still heartbeats on the old port
                assertThat(p.getPort()).isEqualTo(partner.getLocalPort());

                assertThat(loop.reconfigure(paths, partner.getLocalPort(), new PiranhaCodec(), true)
                        .get(5, TimeUnit.SECONDS)).as("same paths and port: sockets kept").isFalse();
                assertThat(loop.reconfigure(paths, partnerNew.getLocalPort(), new PiranhaCodec(), true)
                        .get(5, TimeUnit.SECONDS)).isTrue();
                partnerNew.receive(p);
                assertThat(p.getPort()).as("sent from the new port").isEqualTo(partnerNew.getLocalPort());
                byte[] stopped = new PiranhaCodec().encode(PeerState.STOPPED).array();
                partnerNew.send(new DatagramPacket(stopped, 4, new InetSocketAddress(us, partnerNew.getLocalPort())));
                long end = System.nanoTime() + 5_000_000_000L;
                while (loop.query(l -> l.counters().received()).get(5, TimeUnit.SECONDS) == 0 && System.nanoTime() < end) {
                    Thread.sleep(20);
                }
                assertThat(loop.query(l -> l.counters().received()).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            } finally {
                loop.close();
            }
        }
    }

    /**
     * backup_active = 0: nothing to send, no partner to wait for. Once deadtime has passed the heartbeat
     * thread must still sleep (it used to spin on a deadline left in the past: a whole core under SCHED_RR).
     */
    @Test
    void aLonePrimaryIdlesAfterDeadtime() throws Exception {
        InetAddress us = InetAddress.getByName("127.0.0.1");
        LinkedBlockingQueue<Action> actions = new LinkedBlockingQueue<>();
        FailoverMachine machine = new FailoverMachine(
                new Settings(true, false, Duration.ofMillis(100), false, null, 1, false), System::nanoTime);
        HeartbeatLoop loop = new HeartbeatLoop(List.of(new HeartbeatLoop.Path("public", us, null)), 0,
                Duration.ofMillis(50), new PiranhaCodec(), machine, actions::add, false);
        try {
            loop.start();
            assertThat(actions.poll(5, TimeUnit.SECONDS)).isEqualTo(new Action.Deactivate(false));
            assertThat(actions.poll(5, TimeUnit.SECONDS)).isEqualTo(new Action.Activate());
            long tid = loop.query(l -> Thread.currentThread().getId()).get(5, TimeUnit.SECONDS);
            Thread.sleep(300); // deadtime is behind us
            var threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getThreadCpuTime(tid);
            Thread.sleep(2000);
            long usedMs = (threads.getThreadCpuTime(tid) - cpu0) / 1_000_000;
            // idle is ~0 ms; a spinning thread gets hundreds of ms even on a machine at load 10
            assertThat(usedMs).as("heartbeat thread CPU over 2 s, ms").isLessThan(50);
        } finally {
            loop.close();
        }
    }
}
