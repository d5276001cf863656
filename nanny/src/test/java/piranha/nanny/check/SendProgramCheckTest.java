package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.nanny.CheckHarness;
import piranha.nanny.CheckHarness.Timed;

/** send_program checks running real programs. */
class SendProgramCheckTest {
    static Vertx vertx;
    static ProgramRunner runner;
    @TempDir
    static Path dir;

    @BeforeAll
    static void up() {
        vertx = Vertx.vertx();
        runner = new ProgramRunner(vertx);
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

    static SendProgramCheck check(String program, String expect) {
        return new SendProgramCheck(runner, program, new Target("127.0.0.1", 8080), expect, false, Duration.ofSeconds(1));
    }

    @Test
    void hostAndPortAreSubstitutedAndOutputComparedWithoutTheTrailingNewline() throws Exception {
        String p = script("echo-args", "echo \"$1 $2\"");
        Timed t = CheckHarness.run(vertx, check(p + " %h %p", "127.0.0.1 8080"));
        assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
        assertThat(t.elapsedMs()).isLessThan(900);
    }

    @Test
    void anIpv6RealServerIsSubstitutedAsTheBareAddress() throws Exception {
        String p = script("echo-args6", "echo \"$1 $2\"");
        SendProgramCheck c = new SendProgramCheck(runner, p + " %h %p", new Target("2001:db8::21", 8080), "2001:db8::21 8080", false,
                Duration.ofSeconds(1));
        Timed t = CheckHarness.run(vertx, c);
        assertThat(t.result().healthy()).as(t.result().reason()).isTrue();
    }

    @Test
    void outputWithoutNewlineIsComparedWhole() throws Exception {
        String p = script("ok-no-newline", "printf OK");
        assertThat(CheckHarness.run(vertx, check(p, "OK")).result().healthy()).isTrue();
    }

    @Test
    void theWrongOutputFails() throws Exception {
        String p = script("wrong", "echo DEGRADED");
        Timed t = CheckHarness.run(vertx, check(p, "OK"));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).isEqualTo("expected 'OK', got 'DEGRADED'");
        assertThat(t.result().logLine()).isEqualTo("Trouble. Received results are not what we expected from (127.0.0.1:8080)");
    }

    @Test
    void aNonZeroExitFailsEvenWithTheExpectedOutput() throws Exception {
        String p = script("exit3", "echo OK; exit 3");
        Timed t = CheckHarness.run(vertx, check(p, "OK"));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).isEqualTo(p + " for 127.0.0.1:8080 exited with status 3");
    }

    @Test
    void withoutExpectTheExitStatusDecides() throws Exception {
        assertThat(CheckHarness.run(vertx, check(script("t", "exit 0"), null)).result().healthy()).isTrue();
        assertThat(CheckHarness.run(vertx, check(script("f", "exit 1"), null)).result().healthy()).isFalse();
    }

    @Test
    void aMissingProgramFails() throws Exception {
        Timed t = CheckHarness.run(vertx, check(dir.resolve("no-such-program") + " %h", "OK"));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).startsWith("cannot run " + dir.resolve("no-such-program"));
    }

    @Test
    void aHangingProgramIsKilledAtTheDeadline() throws Exception {
        Path pidFile = dir.resolve("hang.pid");
        String p = script("hang", "echo $$ > " + pidFile + "; exec sleep 30");
        Timed t = CheckHarness.run(vertx, check(p, "OK"));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).isEqualTo(p + " for 127.0.0.1:8080 timed out after 1 s and was killed");
        assertThat(t.elapsedMs()).isBetween(900L, 1900L);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertGone(pid);
    }

    @Test
    void aProgramThatSpawnsChildrenIsKilledWithThem() throws Exception {
        Path pids = dir.resolve("children.pids");
        String p = script("spawner", "sleep 31 & echo $! >> " + pids + "; sleep 32 & echo $! >> " + pids + "; wait");
        Timed t = CheckHarness.run(vertx, check(p, "OK"));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).endsWith("timed out after 1 s and was killed");
        assertThat(t.elapsedMs()).isBetween(900L, 1900L);
        for (String line : Files.readAllLines(pids)) {
            assertGone(Long.parseLong(line.trim()));
        }
    }

    @Test
    void aProgramPrintingMegabytesIsDrainedAndJudgedOnItsFirstBytes() throws Exception {
        String p = script("flood", "yes OK | head -c 20000000");
        Timed t = CheckHarness.run(vertx, check(p, "OK"));
        assertThat(t.result().healthy()).isFalse();
        assertThat(t.result().reason()).startsWith("expected 'OK', got 'OK\\nOK\\n");
    }

    static void assertGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("process " + pid + " is still alive");
    }
}
