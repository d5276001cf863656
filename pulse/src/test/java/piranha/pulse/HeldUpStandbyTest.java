package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;
import static piranha.pulse.PulseJvm.waitFor;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.heartbeat.PiranhaCodec;
import piranha.pulse.state.PeerState;

/**
 * A real pulse JVM as the standby on loopback (127.0.0.1), its partner played here (127.0.0.2),
 * both held up at once as a shared host holds up its guests: pulse is stopped (SIGSTOP) for twice
 * its deadtime while the partner sends nothing, then both go on, the partner's overdue heartbeat a
 * moment after pulse. pulse sees that its own thread was held up and gives the partner one keepalive
 * to be heard before judging it dead: no takeover.
 */
class HeldUpStandbyTest {
    @TempDir
    Path dir;
    Process pulse;
    Path log;

    @AfterEach
    void stop() throws Exception {
        if (pulse != null && pulse.isAlive()) {
            new ProcessBuilder("kill", "-CONT", Long.toString(pulse.pid())).start().waitFor();
            pulse.destroy();
            if (!pulse.waitFor(20, TimeUnit.SECONDS)) pulse.destroyForcibly();
        }
    }

    @Test
    void aStandbyHeldUpWithItsPartnerDoesNotTakeOver() throws Exception {
        InetAddress partnerIp = InetAddress.getByName("127.0.0.2");
        try (DatagramSocket partner = new DatagramSocket(new InetSocketAddress(partnerIp, 0))) {
            int port = partner.getLocalPort();
            log = dir.resolve("pulse.log");
            pulse = PulseJvm.startStandby(java.util.List.of(), dir, port, "0.5", "1.5");

            // the partner: running, a heartbeat every keepalive while `sending`
            AtomicBoolean sending = new AtomicBoolean(true);
            byte[] running = new PiranhaCodec().encode(PeerState.RUNNING).array();
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
            Thread beat = new Thread(() -> {
                for (int i = 0; i < 1200 && !Thread.currentThread().isInterrupted(); i++) {
                    try {
                        if (sending.get()) partner.send(new DatagramPacket(running, running.length, to));
                        Thread.sleep(500);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "partner");
            beat.setDaemon(true);
            beat.start();
            try {
                assertThat(waitFor(Duration.ofSeconds(60), () -> "running".equals(field("partner"))))
                        .as(logText()).isTrue();
                assertThat(field("state")).isEqualTo("standby");

                sending.set(false);
                kill("-STOP");
                Thread.sleep(3000); // two deadtimes: both held up
                kill("-CONT");
                Thread.sleep(50); // the partner goes on a moment later: its overdue heartbeat
                sending.set(true);
                partner.send(new DatagramPacket(running, running.length, to));
                Thread.sleep(2000);

                JsonObject s = status();
                assertThat(s).as(logText()).isNotNull();
                assertThat(s.getString("state")).as(logText()).isEqualTo("standby");
                assertThat(s.getString("partner")).isEqualTo("running");
                assertThat(s.getLong("heldUp")).isGreaterThanOrEqualTo(1);
                assertThat(s.getLong("maxHeldUpMs")).isGreaterThan(1500);
                assertThat(logText()).contains("heartbeat thread held up").doesNotContain("partner dead");
            } finally {
                beat.interrupt();
            }
        }
    }

    void kill(String signal) throws Exception {
        assertThat(new ProcessBuilder("kill", signal, Long.toString(pulse.pid())).start().waitFor()).isZero();
    }

    String field(String name) {
        return PulseJvm.field(dir.resolve("pulse.sock"), name);
    }

    JsonObject status() {
        return PulseJvm.status(dir.resolve("pulse.sock"));
    }

    String logText() {
        return PulseJvm.text(log);
    }

}
