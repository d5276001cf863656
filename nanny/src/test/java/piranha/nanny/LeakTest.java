package piranha.nanny;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.nanny.check.Check;
import piranha.nanny.check.CheckEnvironment;
import piranha.nanny.check.CheckResult;
import piranha.nanny.check.Expectation;
import piranha.nanny.check.SendProgramCheck;
import piranha.nanny.check.Target;
import piranha.nanny.check.TcpConnectCheck;
import piranha.nanny.check.TcpSendExpectCheck;
import piranha.nanny.check.UdpCheck;

/** Many checks of every misbehaviour, then the same number of open file descriptors and no processes. */
class LeakTest {
    @TempDir
    Path dir;

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void checksLeaveNoFileDescriptorOrProcessBehind() throws Exception {
        Vertx vertx = Vertx.vertx();
        CheckEnvironment env = CheckEnvironment.create(vertx);
        Duration timeout = Duration.ofSeconds(1);
        Path hang = dir.resolve("hang");
        Files.writeString(hang, "#!/bin/sh\nsleep 30 &\nsleep 30\n");
        Files.setPosixFilePermissions(hang, PosixFilePermissions.fromString("rwx------"));
        try (LoopbackServer ok = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"));
             LoopbackServer silent = new LoopbackServer(LoopbackServer.silent());
             LoopbackServer reset = new LoopbackServer(LoopbackServer.resetAfter("HT"));
             LoopbackServer half = new LoopbackServer(LoopbackServer.halfClose("HT"));
             LoopbackServer flood = new LoopbackServer(LoopbackServer.flood("HTTP", 4))) {
            int refused = LoopbackServer.refusedPort();
            int udpClosed = LoopbackServer.refusedPort();
            List<Supplier<Check>> kinds = List.of(
                    () -> new TcpConnectCheck(vertx, env.connects(), t(ok.port()), timeout),
                    () -> new TcpConnectCheck(vertx, env.connects(), t(refused), timeout),
                    () -> sendExpect(vertx, env, ok.port(), timeout),
                    () -> sendExpect(vertx, env, silent.port(), timeout),
                    () -> sendExpect(vertx, env, reset.port(), timeout),
                    () -> sendExpect(vertx, env, half.port(), timeout),
                    () -> new TcpSendExpectCheck(vertx, env.netClient(), t(flood.port()), null,
                            Expectation.of("never", true), timeout),
                    () -> new UdpCheck(vertx, env.udp(), t(udpClosed), "ping", null, timeout),
                    () -> new SendProgramCheck(env.programs(), hang.toString(), t(1), "OK", false, timeout));

            round(vertx, kinds, 2); // warm up: lazily created threads, selectors, pools
            Thread.sleep(500);
            int before = openFds();
            for (int i = 0; i < 5; i++) {
                round(vertx, kinds, 20);
            }
            int after = -1;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                after = openFds();
                if (after <= before) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(after).as("open fds after %d checks (before: %d)", 5 * 20 * kinds.size(), before)
                    .isLessThanOrEqualTo(before);
            long children = ProcessHandle.current().children().filter(ProcessHandle::isAlive).count();
            assertThat(children).as("child processes left").isZero();
        } finally {
            vertx.close().await();
        }
    }

    static Target t(int port) {
        return new Target("127.0.0.1", port);
    }

    static Check sendExpect(Vertx vertx, CheckEnvironment env, int port, Duration timeout) {
        return new TcpSendExpectCheck(vertx, env.netClient(), t(port), "GET / HTTP/1.0\r\n\r\n",
                Expectation.of("HTTP", false), timeout);
    }

    /** Runs {@code copies} of every kind at once and waits for all of them. */
    static void round(Vertx vertx, List<Supplier<Check>> kinds, int copies) throws Exception {
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (Supplier<Check> kind : kinds) {
            for (int i = 0; i < copies; i++) {
                Check c = kind.get();
                CompletableFuture<CheckResult> f = new CompletableFuture<>();
                vertx.getOrCreateContext().runOnContext(v -> c.run().onComplete(ar -> f.complete(ar.result())));
                all.add(f);
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);
    }
}
