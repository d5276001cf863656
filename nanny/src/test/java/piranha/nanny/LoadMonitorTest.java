package piranha.nanny;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.nanny.check.ProgramRunner;

/** load_monitor commands run for real: argument shapes, parsing, and the timeout. */
class LoadMonitorTest {
    static Vertx vertx;
    @TempDir
    static Path dir;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void down() {
        vertx.close().await();
    }

    static String script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p.toString();
    }

    static OptionalDouble sample(LoadMonitor m) throws Exception {
        return m.sample().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void rshAndSshGetUptimeAfterTheHost() {
        assertThat(LoadMonitor.argv("/usr/bin/ssh", "198.51.100.5")).containsExactly("/usr/bin/ssh", "198.51.100.5", "uptime");
        assertThat(LoadMonitor.argv("rsh", "198.51.100.5")).containsExactly("rsh", "198.51.100.5", "uptime");
        assertThat(LoadMonitor.argv("rup", "198.51.100.5")).containsExactly("rup", "198.51.100.5");
    }

    @Test
    void theOneMinuteLoadIsReadFromTheCommandsOutput() throws Exception {
        String cmd = script("fake-rup", "echo \"$1   up 12 days,  3:04,  load average: 0.52, 0.61, 0.70\"");
        LoadMonitor m = new LoadMonitor(new ProgramRunner(vertx), cmd, "198.51.100.5", Duration.ofSeconds(2));
        assertThat(sample(m)).hasValue(0.52);
    }

    @Test
    void aFailingOrHangingCommandGivesNoSample() throws Exception {
        LoadMonitor failing = new LoadMonitor(new ProgramRunner(vertx), script("fails", "echo 'load average: 0.1'; exit 1"),
                "198.51.100.5", Duration.ofSeconds(2));
        assertThat(sample(failing)).isEmpty();
        long start = System.nanoTime();
        LoadMonitor hanging = new LoadMonitor(new ProgramRunner(vertx), script("hangs", "exec sleep 30"),
                "198.51.100.5", Duration.ofSeconds(1));
        assertThat(sample(hanging)).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start).toMillis()).isBetween(900L, 2500L);
    }
}
