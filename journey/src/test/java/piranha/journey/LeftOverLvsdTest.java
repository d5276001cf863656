package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.daemon.testing.RequiredTools;

/**
 * pulse killed with -9 stops nothing: under SysV its lvsd stays, still driving the table and checking
 * the real servers. The next pulse must not start a second lvsd beside it. A lone primary in a
 * network namespace of its own (a veth pair inside it, 198.51.100.0/24, no route out), started through bin/
 * as on a director.
 */
class LeftOverLvsdTest {
    static final String DIRECTOR = "198.51.100.1";
    static final String RS = "198.51.100.21";
    static final String VIP = "198.51.100.100";

    @TempDir
    Path dir;
    final String ns = "pjlo-" + Checkout.suffix();
    boolean namespace;
    final List<Process> processes = new ArrayList<>();
    final List<Long> lvsdPids = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) processes.get(i).destroy();
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        }
        for (long pid : lvsdPids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // ours, started by our pulse
        if (namespace) {
            for (String pid : PairIdleTest.sh(false, "ip", "netns", "pids", ns).split("\\s+")) { // only ours live there
                if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
            }
            PairIdleTest.sh(false, "ip", "netns", "del", ns);
        }
    }

    @Test
    void theNextPulseStopsTheLvsdAKilledOneLeft() throws Exception {
        RequiredTools.root("network namespaces");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        PairIdleTest.sh(true, "ip", "netns", "add", ns);
        namespace = true;
        PairIdleTest.sh(true, "ip", "-n", ns, "link", "set", "lo", "up");
        PairIdleTest.sh(true, "ip", "-n", ns, "link", "add", "lan0", "type", "veth", "peer", "name", "lan1");
        PairIdleTest.sh(true, "ip", "-n", ns, "link", "set", "lan1", "up");
        PairIdleTest.sh(true, "ip", "-n", ns, "link", "set", "lan0", "up");
        PairIdleTest.sh(true, "ip", "-n", ns, "addr", "add", DIRECTOR + "/24", "dev", "lan0");
        PairIdleTest.sh(true, "ip", "-n", ns, "addr", "add", RS + "/24", "dev", "lan0");
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, String.join("\n", "serial_no = 1", "primary = " + DIRECTOR, "service = lvs",
                "keepalive = 1", "deadtime = 3", "network = nat", "backend = userspace",
                "virtual web {", "     active = 1", "     address = " + VIP + " lan0:1", "     port = 80",
                "     scheduler = rr", "     timeout = 2", "     server rs1 {", "         address = " + RS,
                "         active = 1", "     }", "}", ""));
        String lvsdJars = Checkout.ROOT.resolve("lvsd/target/lvsd.jar") + ":" + Checkout.ROOT.resolve("lvsd/target/lib/*");
        start("rs", "java", "-cp", lvsdJars, "piranha.lvsd.demo.DemoRealServer", RS, "80", "rs1");

        Process first = pulse("pulse-1");
        long left = Eventually.value(Duration.ofSeconds(120), () -> activeLvsd());
        lvsdPids.add(left);
        first.destroyForcibly(); // kill -9: pulse's children are not told
        assertThat(first.waitFor(20, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(1000);
        assertThat(ProcessHandle.of(left).map(ProcessHandle::isAlive)).as("lvsd outlives a pulse killed with -9").contains(true);
        assertThat(lvsdStatus().getLong("pid")).isEqualTo(left);

        pulse("pulse-2");
        long next = Eventually.value(Duration.ofSeconds(120), () -> {
            long pid = activeLvsd();
            assertThat(pid).as("a new lvsd").isNotEqualTo(left);
            return pid;
        });
        lvsdPids.add(next);
        assertThat(ProcessHandle.of(left).map(ProcessHandle::isAlive).orElse(false)).as("the left-over lvsd is gone").isFalse();
        assertThat(lvsdStatus().getLong("pid")).as("the lvsd answering is the new pulse's").isEqualTo(next);
        assertThat(Files.readString(dir.resolve("pulse-2.log")))
                .contains("lvsd (pid " + left + ") left running by an earlier pulse still answers on " + dir.resolve("lvsd.sock"));
        String answer = PairIdleTest.sh(true, "ip", "netns", "exec", ns, "curl", "-s", "--max-time", "5", "http://" + VIP + "/");
        assertThat(answer).startsWith("Hello from rs1");
    }

    /** lvsd's pid once pulse is active with it ready and the real server up. */
    long activeLvsd() throws IOException {
        JsonObject p = ControlClient.call(dir.resolve("pulse.sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
        assertThat(p.getString("state")).isEqualTo("active");
        long pid = p.getLong("lvsdPid", 0L);
        assertThat(pid).isPositive();
        JsonObject l = lvsdStatus();
        assertThat(l.getLong("pid")).isEqualTo(pid);
        assertThat(l.getJsonArray("services").getJsonObject(0).getJsonArray("servers"))
                .allSatisfy(s -> assertThat(((JsonObject) s).getString("health")).isEqualTo("up"));
        return pid;
    }

    JsonObject lvsdStatus() throws IOException {
        return ControlClient.call(dir.resolve("lvsd.sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    Process pulse(String name) throws IOException {
        return start(name, Checkout.bin("pulse").toString(), "-n", "-c", dir.resolve("lvs.cf").toString(),
                "--lvsd", Checkout.bin("lvsd").toString(), "--control-socket", dir.resolve("pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("lvsd.sock").toString());
    }

    Process start(String name, String... argv) throws IOException {
        return PairIdleTest.startIn(ns, dir.resolve(name + ".log"), processes, argv);
    }
}
