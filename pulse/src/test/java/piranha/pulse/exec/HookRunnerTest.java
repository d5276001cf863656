package piranha.pulse.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookRunnerTest {
    @TempDir
    Path dir;

    Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    @Test
    void hooksRunOneAtATimeInOrderWithTheirArguments() throws Exception {
        Path log = dir.resolve("log");
        Path hook = script("hook", "echo start $1 >> " + log + "; sleep 0.3; echo end $1 >> " + log);
        try (HookRunner hooks = new HookRunner(new CommandRunner(false), Duration.ofSeconds(5))) {
            hooks.submit("active_cmd", hook + " a");
            hooks.submit("inactive_cmd", hook + " b");
            Future<?> last = hooks.submit("active_cmd", hook + " c");
            last.get(10, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllLines(log)).containsExactly("start a", "end a", "start b", "end b", "start c", "end c");
    }

    @Test
    void aHookThatHangsIsKilledAtItsTimeout() throws Exception {
        Path hook = script("hang", "sleep 30");
        Path after = dir.resolve("after");
        Path touch = script("touch", "echo done > " + after);
        long t0 = System.nanoTime();
        try (HookRunner hooks = new HookRunner(new CommandRunner(false), Duration.ofMillis(300))) {
            hooks.submit("active_cmd", hook.toString());
            hooks.submit("inactive_cmd", touch.toString()).get(10, TimeUnit.SECONDS);
        }
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
        assertThat(Files.readString(after).trim()).isEqualTo("done");
    }

    @Test
    void noShellIsInvolved() throws Exception {
        CommandRunner.Result r = new CommandRunner(false).run(List.of("/bin/echo", "$HOME;", "`id`"), Duration.ofSeconds(5));
        assertThat(r.output()).isEqualTo("$HOME; `id`");
        assertThat(new CommandRunner(false).run(List.of(dir.resolve("missing").toString()), Duration.ofSeconds(1)).status())
                .isEqualTo(-1);
    }

    @Test
    void testStartRunsNothing() throws Exception {
        Path marker = dir.resolve("marker");
        Path hook = script("hook", "touch " + marker);
        CommandRunner.Result r = new CommandRunner(true).run(List.of(hook.toString()), Duration.ofSeconds(5));
        assertThat(r.ok()).isTrue();
        assertThat(marker).doesNotExist();
    }

    @Test
    void hooksRunAsTheScriptUser() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "needs root: only root can change user");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path hook = script("who", "id -un > " + out.resolve("who"));
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (HookRunner hooks = new HookRunner(new CommandRunner(false), Duration.ofSeconds(10))
                .runAs(piranha.daemon.ScriptUser.of("nobody"))) {
            hooks.submit("active_cmd", hook.toString()).get(20, TimeUnit.SECONDS);
        }
        assertThat(Files.readString(out.resolve("who")).strip()).isEqualTo("nobody");
    }
}
