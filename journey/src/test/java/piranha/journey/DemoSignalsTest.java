package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT to bin/demo's pid (not a terminal's Ctrl-C to its whole process group) while it is still
 * starting: it stops what it started within 5 s. (SIGTERM once it runs: the operator journey's last step.)
 */
class DemoSignalsTest {
    @TempDir
    Path tmp;

    @Test
    void sigintWhileStartingStopsEverythingWithinFiveSeconds() throws Exception {
        try (Demo demo = Demo.start(tmp.resolve("demo"))) {
            Path log = demo.dir.resolve("pulse.log");
            long end = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("STARTING PULSE AS MASTER")) && System.nanoTime() < end) {
                assertThat(demo.process.isAlive()).as(demo.stdout() + demo.stderr()).isTrue();
                Thread.sleep(100);
            }
            assertThat(Files.readString(log)).contains("STARTING PULSE AS MASTER");
            List<ProcessHandle> all = demo.tree();
            assertThat(all).hasSizeGreaterThanOrEqualTo(4); // the demo, two real servers, pulse (the GUI and lvsd may still come)
            long t0 = System.nanoTime();
            assertThat(Command.run(List.of("kill", "-INT", Long.toString(demo.process.pid())), Map.of(),
                    Duration.ofSeconds(10)).status()).isZero();
            assertThat(demo.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            for (ProcessHandle p : demo.tree().isEmpty() ? all : all) {
                p.onExit().get(20, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("bin/demo stopped %.1f s after SIGINT during start-up (load %s)%n", seconds, CpuMeter.loadAverage());
            assertThat(seconds).isLessThan(5.0);
            assertThat(demo.stderr()).contains("demo: stopping");
            assertThat(demo.dir.resolve("env")).doesNotExist();
            assertThat(demo.dir.resolve("pulse.sock")).doesNotExist();
        }
    }
}
