package piranha.pulse.lvsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against real processes: the stand-in lvsd of the tests and a few misbehaving programs. */
class LvsdSupervisorTest {
    @TempDir
    Path dir;

    Path standIn(String env) throws Exception {
        return piranha.pulse.e2e.StandInLvsd.launcher(dir.resolve("lvsd"), env.isEmpty() ? "" : env + " ");
    }

    Path script(String body) throws Exception {
        Path p = dir.resolve("prog");
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    LvsdSupervisor supervisor(Path program, Duration timeout, CompletableFuture<String> died) {
        return new LvsdSupervisor(new LvsdSupervisor.Options(program.toString(), dir.resolve("lvs.cf"), true, false,
                dir.resolve("lvsd.sock"), timeout), died::complete);
    }

    @Test
    void commandLineFollowsPiranhaPlusTheControlSocket() {
        LvsdSupervisor s = new LvsdSupervisor(new LvsdSupervisor.Options("/usr/sbin/lvsd", Path.of("/etc/lvs.cf"), false,
                true, Path.of("/run/lvsd.sock"), Duration.ofSeconds(1)), how -> { });
        assertThat(s.commandLine()).containsExactly("/usr/sbin/lvsd", "--nofork", "-c", "/etc/lvs.cf", "-v",
                "--control-socket", "/run/lvsd.sock");
    }

    /** The configuration tool runs as its own user: with pulse's --control-group it reaches lvsd too. */
    @Test
    void theControlGroupIsPassedOn() {
        LvsdSupervisor s = new LvsdSupervisor(new LvsdSupervisor.Options("/usr/sbin/lvsd", Path.of("/etc/lvs.cf"), false,
                false, Path.of("/run/piranha/lvsd.sock"), Duration.ofSeconds(1), "piranha"), how -> { });
        assertThat(s.commandLine()).endsWith("--control-socket", "/run/piranha/lvsd.sock", "--control-group", "piranha");
    }

    @Test
    void startsWaitsForReadinessAndStops() throws Exception {
        CompletableFuture<String> died = new CompletableFuture<>();
        LvsdSupervisor s = supervisor(standIn(""), Duration.ofSeconds(20), died);
        s.start(() -> false);
        long pid = s.pid();
        assertThat(pid).isPositive();
        assertThat(ProcessHandle.of(pid)).isPresent();
        s.stop();
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(s.pid()).isZero();
        Thread.sleep(200);
        assertThat(died).as("a stop we asked for is not a death").isNotDone();
    }

    @Test
    void deathWhileRunningIsReportedWithItsStatus() throws Exception {
        CompletableFuture<String> died = new CompletableFuture<>();
        LvsdSupervisor s = supervisor(standIn(""), Duration.ofSeconds(20), died);
        s.start(() -> false);
        long pid = s.pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(died.get(10, TimeUnit.SECONDS)).isEqualTo("Child process " + pid + " exited due to signal 9");
    }

    @Test
    void notReadyAnswerFails() throws Exception {
        LvsdSupervisor s = supervisor(standIn("STANDIN_NOT_READY=1"), Duration.ofSeconds(20), new CompletableFuture<>());
        assertThatThrownBy(() -> s.start(() -> false)).isInstanceOf(LvsdSupervisor.NotReady.class)
                .hasMessageContaining("stand-in told not to be ready");
        assertThat(s.pid()).isZero();
    }

    @Test
    void anLvsdThatExitsAtOnceFails() throws Exception {
        LvsdSupervisor s = supervisor(script("exit 7"), Duration.ofSeconds(5), new CompletableFuture<>());
        assertThatThrownBy(() -> s.start(() -> false)).hasMessageContaining("exited with status 7");
    }

    @Test
    void anLvsdThatNeverAnswersIsStoppedAtTheTimeout() throws Exception {
        Path pidFile = dir.resolve("pid");
        LvsdSupervisor s = supervisor(script("echo $$ > " + pidFile + "; exec sleep 30"), Duration.ofMillis(700),
                new CompletableFuture<>());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> s.start(() -> false)).hasMessageContaining("no control socket");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** lvsd's control socket answers a deferred request within its own deadline (60 s) or with an error. */
    @Test
    void aStartLongerThanTheControlSocketsReplyDeadlineIsWaitedForUpToTheReadyTimeout() throws Exception {
        io.vertx.core.Promise<Void> ready = io.vertx.core.Promise.promise();
        Path socket = dir.resolve("slow.sock");
        try (piranha.daemon.ControlServer server = piranha.daemon.ControlServer.start(socket, java.util.Map.of("wait-ready",
                r -> ready.future().map(x -> new io.vertx.core.json.JsonObject().put("ready", true))), Duration.ofMillis(200))) {
            new Thread(() -> {
                try {
                    Thread.sleep(1_000); // five of the socket's reply deadlines
                } catch (InterruptedException e) {
                    return;
                }
                ready.complete();
            }).start();
            long t0 = System.nanoTime();
            LvsdSupervisor.awaitReady(socket, System.nanoTime() + Duration.ofSeconds(10).toNanos(), () -> false);
            assertThat((System.nanoTime() - t0) / 1e6).isGreaterThanOrEqualTo(900);
        }
    }

    /** A process answering status on the control socket as {@code daemon}, as an lvsd a killed pulse left would. */
    Process answering(String daemon) throws Exception {
        Path socket = dir.resolve("lvsd.sock");
        Process p = new ProcessBuilder("python3", "-c", String.join("\n",
                "import json, os, socket, sys",
                "s = socket.socket(socket.AF_UNIX)",
                "s.bind(sys.argv[1])",
                "s.listen(4)",
                "while True:",
                "    c, _ = s.accept()",
                "    c.recv(4096)",
                "    c.sendall((json.dumps({'daemon': sys.argv[2], 'pid': os.getpid()}) + '\\n').encode())",
                "    c.close()"), socket.toString(), daemon).redirectErrorStream(true).start();
        for (int i = 0; i < 200 && !Files.exists(socket); i++) Thread.sleep(25);
        assertThat(socket).exists();
        return p;
    }

    @Test
    void anLvsdLeftByAnEarlierPulseIsStoppedBeforeTheNextStarts() throws Exception {
        Process left = answering("lvsd");
        try {
            LvsdSupervisor s = supervisor(standIn(""), Duration.ofSeconds(20), new CompletableFuture<>());
            s.start(() -> false);
            assertThat(left.waitFor(5, TimeUnit.SECONDS)).as("the left-over lvsd was stopped").isTrue();
            assertThat(left.exitValue()).as("by SIGTERM").isEqualTo(143);
            assertThat(s.pid()).isPositive().isNotEqualTo(left.pid());
            s.stop();
        } finally {
            left.destroyForcibly();
        }
    }

    @Test
    void whatDoesNotAnswerAsLvsdIsLeftAlone() throws Exception {
        Process other = answering("pulse");
        try {
            LvsdSupervisor s = supervisor(standIn(""), Duration.ofSeconds(20), new CompletableFuture<>());
            s.start(() -> false);
            assertThat(other.isAlive()).isTrue();
            s.stop();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void describesStatusAndSignal() {
        assertThat(LvsdSupervisor.describe(12, 1)).isEqualTo("Child process 12 exited with status 1");
        assertThat(LvsdSupervisor.describe(12, 143)).isEqualTo("Child process 12 exited due to signal 15");
    }
}
