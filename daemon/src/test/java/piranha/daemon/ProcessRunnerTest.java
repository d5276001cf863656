package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import piranha.daemon.ProcessRunner.Result;
import piranha.daemon.ProcessRunner.Spec;
import piranha.daemon.ProcessRunner.Stderr;

/** Against real programs: /bin/sh scripts written by the tests. */
class ProcessRunnerTest {
    static final ProcessRunner RUNNER = ProcessRunner.shared();
    static final Duration SOON = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    String script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p.toString();
    }

    @Test
    void argumentsReachTheProgramAsTheyAreWithoutAShell() throws Exception {
        Result r = RUNNER.runAndWait(Spec.of(List.of("/bin/echo", "$HOME;", "`id`", "a b"), SOON));
        assertThat(r.status()).isEqualTo(Result.Status.EXITED);
        assertThat(r.ok()).isTrue();
        assertThat(r.stdoutText()).isEqualTo("$HOME; `id` a b\n");
    }

    @Test
    void inputIsFedAndStandardErrorIsDroppedMergedOrKeptApart() throws Exception {
        String p = script("cat-and-complain", "cat; echo complaint >&2; exit 3");
        Result apart = RUNNER.runAndWait(Spec.of(List.of(p), SOON).withStdin("-a -t 1.2.3.4:80\n").withStderr(Stderr.CAPTURE));
        assertThat(apart.exitCode()).isEqualTo(3);
        assertThat(apart.ok()).isFalse();
        assertThat(apart.stdoutText()).isEqualTo("-a -t 1.2.3.4:80\n");
        assertThat(apart.stderrText()).isEqualTo("complaint\n");

        Result merged = RUNNER.runAndWait(Spec.of(List.of(p), SOON).withStdin("in\n").withStderr(Stderr.MERGE));
        assertThat(merged.stdoutText()).isEqualTo("in\ncomplaint\n");

        Result dropped = RUNNER.runAndWait(Spec.of(List.of(p), SOON));
        assertThat(dropped.stdoutText()).isEmpty(); // stdin is /dev/null
        assertThat(dropped.stderr()).isEmpty();
    }

    @Test
    void outputBeyondTheCapIsReadAndDropped() throws Exception {
        String p = script("flood", "head -c 5000000 /dev/zero; echo done >&2");
        Result r = RUNNER.runAndWait(Spec.of(List.of(p), SOON).withOutputCap(1000).withStderr(Stderr.CAPTURE));
        assertThat(r.ok()).isTrue();
        assertThat(r.stdout()).hasSize(1000);
        assertThat(r.truncated()).isTrue();
        assertThat(r.stderrText()).isEqualTo("done\n");
    }

    @Test
    void aProgramThatCannotStartSaysWhy() throws Exception {
        Result r = RUNNER.runAndWait(Spec.of(List.of(dir.resolve("missing").toString()), SOON));
        assertThat(r.status()).isEqualTo(Result.Status.FAILED_TO_START);
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.error()).contains("missing");
    }

    @Test
    void pastTheDeadlineTheProgramAndItsDescendantsAreKilled() throws Exception {
        Path pids = dir.resolve("pids");
        String p = script("spawner", "sleep 31 & echo $! >> " + pids + "; sleep 32 & echo $! >> " + pids + "; echo $$ >> " + pids
                + "; echo started; wait");
        long t0 = System.nanoTime();
        Result r = RUNNER.runAndWait(Spec.of(List.of(p), Duration.ofMillis(500)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).isEqualTo(Result.Status.TIMED_OUT);
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(ms).isBetween(400L, 5000L);
        for (String line : Files.readAllLines(pids)) {
            assertGone(Long.parseLong(line.trim()));
        }
    }

    @Test
    void aDescendantHoldingTheOutputOpenIsNotWaitedFor() throws Exception {
        Path pid = dir.resolve("pid");
        String p = script("detach", "sleep 30 & echo $! > " + pid + "; echo started");
        try {
            long t0 = System.nanoTime();
            Result r = RUNNER.runAndWait(Spec.of(List.of(p), Duration.ofSeconds(20)));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.ok()).isTrue();
            assertThat(r.stdoutText()).isEqualTo("started\n");
            assertThat(ms).isLessThan(10_000); // the grace, not the 30 s of the descendant nor the 20 s deadline
        } finally {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aLongLivedChildIsStartedStoppedAndItsExitSeen() throws Exception {
        String p = script("daemon", "exec sleep 30");
        ProcessRunner.Child child = RUNNER.start(List.of(p));
        assertThat(child.pid()).isPositive();
        assertThat(child.isAlive()).isTrue();
        assertThat(child.onExit()).isNotDone();
        child.terminate();
        assertThat(child.waitFor(SOON)).isTrue();
        assertThat(child.onExit().get(10, TimeUnit.SECONDS)).isSameAs(child);
        assertThat(child.exitValue()).isEqualTo(128 + 15);
    }

    static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("process " + pid + " is still alive");
    }
}
