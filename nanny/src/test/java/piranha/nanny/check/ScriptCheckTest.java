package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;

/** script checks: keepalived's misc_dynamic exit-status rule, the deadline, the user the script runs as. */
class ScriptCheckTest {
    static Vertx vertx;
    static ProgramRunner runner;
    @TempDir
    static Path dir;

    @BeforeAll
    static void up() throws Exception {
        vertx = Vertx.vertx();
        runner = new ProgramRunner(vertx);
        // the scripts may run as nobody: their directory must be open to it
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void down() {
        vertx.close().await();
    }

    static String script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p.toString();
    }

    static Timed check(String command, Duration timeout) throws Exception {
        return CheckHarness.run(vertx, new ScriptCheck(runner, new CheckSpec.Script(command, "nobody"),
                new Target("127.0.0.1", 8080), timeout));
    }

    @Test
    void exitStatusZeroIsUpOneIsDownAndTwoTo255SetTheWeight() throws Exception {
        String p = script("status", "exit $1");
        Timed up = check(p + " 0", Duration.ofSeconds(2));
        assertThat(up.result().healthy()).isTrue();
        assertThat(up.result().detail().weight()).isEqualTo(-1);
        Timed down = check(p + " 1", Duration.ofSeconds(2));
        assertThat(down.result().healthy()).isFalse();
        assertThat(down.result().reason()).isEqualTo(p + " for 127.0.0.1:8080 exited 1");
        for (int status : new int[] {2, 3, 100, 255}) {
            Timed t = check(p + " " + status, Duration.ofSeconds(2));
            assertThat(t.result().healthy()).isTrue();
            assertThat(t.result().detail().weight()).isEqualTo(status - 2);
            assertThat(t.result().detail().code()).isEqualTo(status);
            assertThat(t.result().reason()).isEqualTo(p + " for 127.0.0.1:8080 exited " + status + ": weight " + (status - 2));
        }
    }

    @Test
    void hostAndPortAreGivenAndNoShellIsInvolved() throws Exception {
        Path out = dir.resolve("args.out");
        Files.deleteIfExists(out);
        Files.createFile(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-rw-"));
        String p = script("args", "echo \"$1|$2|$3\" > " + out);
        assertThat(check(p + " %h %p ;reboot", Duration.ofSeconds(2)).result().healthy()).isTrue();
        assertThat(Files.readString(out)).isEqualTo("127.0.0.1|8080|;reboot\n");
    }

    @Test
    void aHungScriptAndItsChildrenAreKilledAtTheDeadline() throws Exception {
        Path pids = dir.resolve("pids");
        Files.deleteIfExists(pids);
        Files.createFile(pids);
        Files.setPosixFilePermissions(pids, PosixFilePermissions.fromString("rw-rw-rw-"));
        String p = script("hang", "sleep 60 & echo $! >> " + pids + "; echo $$ >> " + pids + "; sleep 60");
        Timed t = check(p, Duration.ofSeconds(1));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).isEqualTo(p + " for 127.0.0.1:8080 timed out after 1 s and was killed with its children");
        assertThat(t.elapsedMs()).isBetween(900L, 2500L);
        long deadline = System.nanoTime() + 5_000_000_000L;
        for (String pid : Files.readAllLines(pids)) {
            Optional<ProcessHandle> h = ProcessHandle.of(Long.parseLong(pid.trim()));
            while (h.isPresent() && h.get().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(h.map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
    }

    @Test
    void asRootTheScriptRunsAsTheConfiguredUser() throws Exception {
        Path out = dir.resolve("uid.out");
        Files.deleteIfExists(out);
        Files.createFile(out);
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-rw-rw-"));
        String p = script("whoami", "id -u > " + out + "; id -G >> " + out);
        assertThat(check(p, Duration.ofSeconds(2)).result().healthy()).isTrue();
        java.util.List<String> ids = Files.readAllLines(out);
        if (ScriptCheck.isRoot()) {
            long[] nobody = ScriptCheck.ids("nobody");
            assertThat(ids.get(0)).isEqualTo(Long.toString(nobody[0]));
            assertThat(ids.get(1)).isEqualTo(Long.toString(nobody[1])); // no supplementary groups left
        } else {
            assertThat(ids.get(0)).isNotEqualTo("0");
        }
    }

    @Test
    void rootIsNeverTheScriptsUser() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ScriptCheck.asUser(java.util.List.of("/bin/true"), "root"))
                .hasMessageContaining("must not be root");
    }
}
