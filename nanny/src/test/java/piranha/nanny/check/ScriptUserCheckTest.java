package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import piranha.daemon.ScriptUser;
import piranha.nanny.CheckHarness;
import piranha.nanny.LoadMonitor;
import piranha.nanny.NannyConfig;

/** lvs.cf's script_user: send_program and load_monitor run as that user, not as root. */
class ScriptUserCheckTest {
    Vertx vertx;
    Path dir;

    @BeforeEach
    void up() throws Exception {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "needs root: only root can change user");
        vertx = Vertx.vertx();
        // Where user nobody may read and run the programs.
        dir = Files.createTempDirectory("script-user", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    @AfterEach
    void down() throws Exception {
        if (vertx != null) {
            vertx.close().await();
        }
        if (dir != null) {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private String script(String body) throws Exception {
        Path p = dir.resolve("check");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p.toString();
    }

    @Test
    void sendProgramRunsAsTheScriptUser() throws Exception {
        NannyConfig c = NannyConfig.builder("127.0.0.1", 8080).sendProgram(script("id -un")).expect("nobody").timeout(5)
                .runAs(ScriptUser.of("nobody")).build();
        CheckHarness.Timed t = CheckHarness.run(vertx, Checks.forConfig(c, CheckEnvironment.create(vertx)));
        assertThat(t.result().healthy()).as(t.result().reason()).isTrue();

        NannyConfig asDaemon = NannyConfig.builder("127.0.0.1", 8080).sendProgram(script("id -un")).expect("nobody").timeout(5).build();
        assertThat(CheckHarness.run(vertx, Checks.forConfig(asDaemon, CheckEnvironment.create(vertx))).result().reason())
                .isEqualTo("expected 'nobody', got 'root'");
    }

    @Test
    void loadMonitorRunsAsTheScriptUser() throws Exception {
        String cmd = script("if [ \"$(id -un)\" = nobody ]; then echo 'load average: 0.25'; else echo 'load average: 9.00'; fi");
        LoadMonitor m = new LoadMonitor(new ProgramRunner(vertx), cmd, "127.0.0.1", Duration.ofSeconds(5), ScriptUser.of("nobody"));
        CompletableFuture<OptionalDouble> load = new CompletableFuture<>();
        vertx.runOnContext(v -> m.sample().onComplete(ar -> load.complete(ar.result())));
        assertThat(load.get(30, TimeUnit.SECONDS)).hasValue(0.25);
    }
}
