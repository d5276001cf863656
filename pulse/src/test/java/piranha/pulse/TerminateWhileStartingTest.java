package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a real pulse JVM while its lvsd is still starting (a lone primary, lvsd the stand-in,
 * told to report ready only after 60 s): pulse stops lvsd and exits at once. It used to wait for the
 * lvsd it was about to stop to become ready, keep-it-ready being the warm standby's rule.
 */
class TerminateWhileStartingTest {
    @TempDir
    Path dir;
    Process pulse;

    @AfterEach
    void stop() throws Exception {
        if (pulse != null && pulse.isAlive()) {
            pulse.destroyForcibly();
            pulse.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void aTermWhileLvsdIsStartingStopsBothAtOnce() throws Exception {
        Path lvsd = dir.resolve("lvsd");
        Path lvsdPid = dir.resolve("lvsd.pid");
        piranha.pulse.e2e.StandInLvsd.launcher(lvsd, "echo $$ > '" + lvsdPid + "'\nSTANDIN_READY_DELAY_MS=60000 ");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String vip = "127." + r.nextInt(64, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(1, 250);
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, String.join("\n", "serial_no = 1", "primary = 127.0.0.1", "service = lvs",
                "backup_active = 0", "heartbeat_port = " + port, "keepalive = 0.5", "deadtime = 1.5", "network = nat",
                "virtual web {", "     active = 1", "     address = " + vip + " lo", "     port = 80",
                "     server rs1 {", "         address = 127.0.0.1", "         port = 1", "         active = 1",
                "     }", "}", ""));
        Path log = dir.resolve("pulse.log");
        pulse = PulseJvm.start(log, "-n", "-c", cf.toString(), "--lvsd=" + lvsd,
                "--control-socket", dir.resolve("pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("lvsd.sock").toString());
        // lvsd's control socket exists: pulse is asking it whether it is ready, and waits
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(dir.resolve("lvsd.sock")) && System.nanoTime() < end) {
            assertThat(pulse.isAlive()).as(Files.readString(log)).isTrue();
            Thread.sleep(50);
        }
        assertThat(dir.resolve("lvsd.sock")).as(Files.readString(log)).exists();
        Thread.sleep(300); // the wait-ready question is out
        long child = Long.parseLong(Files.readString(lvsdPid).trim());

        long t0 = System.nanoTime();
        pulse.destroy(); // SIGTERM
        assertThat(pulse.waitFor(20, TimeUnit.SECONDS)).isTrue();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).as(Files.readString(log)).isLessThan(5.0); // it waited for the 60 s readiness before
        assertThat(pulse.exitValue()).isZero();
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("lvsd stopped").isFalse();
        assertThat(Files.readString(log)).contains("Terminating due to signal 15", "terminating: deactivating LVS")
                .doesNotContain("failed to start");
    }
}
