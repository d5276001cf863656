package piranha.pulse.fos;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.ScriptUser;

/**
 * The track blocks' checks against real things on this host: a process by name, a TCP port and an http
 * URL on loopback, a program's exit status. Each reports the set of failing checks when it changes.
 */
class TrackedChecksTest {
    @TempDir
    Path dir;
    final LinkedBlockingQueue<Set<String>> reports = new LinkedBlockingQueue<>();
    final TrackedChecks checks = new TrackedChecks(reports::add);

    @AfterEach
    void close() {
        checks.close();
    }

    /** The next report that is {@code want}, skipping others; fails after 10 s. */
    void expect(Set<String> want) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Set<String> last = null;
        while (System.nanoTime() < end) {
            last = reports.poll(100, TimeUnit.MILLISECONDS);
            if (want.equals(last)) return;
        }
        throw new AssertionError("no report " + want + "; last " + last + "; states " + checks.states());
    }

    static TrackedCheck check(String name, TrackedCheck.Probe probe, String target) {
        return new TrackedCheck(name, probe, target, 1, 1, 1, 1);
    }

    @Test
    void aProcessByNameFailsWhenItEndsAndPassesWhenItRunsAgain() throws Exception {
        String name = "fo2trk" + ProcessHandle.current().pid() % 100000; // at most 15 bytes: its comm
        Path program = dir.resolve(name);
        Files.copy(Path.of("/bin/sleep"), program, StandardCopyOption.COPY_ATTRIBUTES);
        Process p = new ProcessBuilder(program.toString(), "60").start();
        try {
            checks.apply(List.of(check("proc", TrackedCheck.Probe.PROCESS, name)), ScriptUser.DAEMON);
            expect(Set.of());
            waitForResult("proc");
            assertThat(checks.states().get(0).health()).isEqualTo("passing");
            assertThat(checks.states().get(0).last()).isEqualTo("process " + name + " runs (pid " + p.pid() + ")");
            p.destroyForcibly().waitFor();
            expect(Set.of("proc"));
            assertThat(checks.states().get(0).last()).isEqualTo("no process " + name + " runs");
            p = new ProcessBuilder(program.toString(), "60").start();
            expect(Set.of());
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aTcpPortFailsWhenItIsClosed() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try {
            checks.apply(List.of(check("port", TrackedCheck.Probe.TCP, "127.0.0.1:" + server.getLocalPort())), ScriptUser.DAEMON);
            waitForResult("port");
            assertThat(checks.failing()).isEmpty();
        } finally {
            server.close();
        }
        expect(Set.of("port"));
        assertThat(checks.states().get(0).failures()).isPositive();
    }

    @Test
    void anHttpUrlFailsOnAnErrorStatusAndARisingCheckPassesAfterRiseGoodOnes() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/health", x -> {
            byte[] body = "ok\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            x.sendResponseHeaders(status.get(), body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/health";
            checks.apply(List.of(new TrackedCheck("api", TrackedCheck.Probe.HTTP, url, 1, 2, 1, 2)), ScriptUser.DAEMON);
            // the first check of a cold JVM on a busy machine may miss its deadline: wait for a passing one
            for (int i = 0; i < 200 && !checks.states().get(0).health().equals("passing"); i++) Thread.sleep(50);
            assertThat(checks.states().get(0).health()).as(checks.states().toString()).isEqualTo("passing");
            status.set(503);
            expect(Set.of("api"));
            status.set(204);
            long before = checks.states().get(0).checks();
            expect(Set.of());
            assertThat(checks.states().get(0).checks() - before).isGreaterThanOrEqualTo(2); // rise = 2
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aCommandPassesOnExitZeroAndAReloadKeepsTheUnchangedChecks() throws Exception {
        Path ready = dir.resolve("ready");
        Files.writeString(ready, "");
        TrackedCheck cmd = check("ready", TrackedCheck.Probe.COMMAND, "/usr/bin/test -e " + ready);
        TrackedCheck down = check("down", TrackedCheck.Probe.TCP, "127.0.0.1:1");
        checks.apply(List.of(cmd, down), ScriptUser.DAEMON);
        expect(Set.of("down"));
        Files.delete(ready);
        expect(Set.of("down", "ready"));
        Files.writeString(ready, "");
        expect(Set.of("down"));
        long checked = checks.states().get(0).checks();
        // the reload drops the failing check: the set is reported at once; "ready" keeps its state
        checks.apply(List.of(cmd), ScriptUser.DAEMON);
        expect(Set.of());
        assertThat(checks.states()).hasSize(1);
        assertThat(checks.states().get(0).checks()).isGreaterThanOrEqualTo(checked);
        assertThat(checks.states().get(0).health()).isEqualTo("passing");
    }

    void waitForResult(String name) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (checks.states().stream().anyMatch(s -> s.name().equals(name) && s.checks() > 0)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("no result of " + name + ": " + checks.states());
    }
}
