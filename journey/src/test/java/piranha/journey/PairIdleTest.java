package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.daemon.testing.RequiredTools;

/**
 * A director pair in network namespaces (a bridge, two directors, a host with two real servers;
 * 198.51.100.0/24, no route out, names with a random suffix), started through bin/ as on a
 * director: pulse on each (heartbeats every 2 s), lvsd on each (user-space data plane, two real
 * servers checked every 2 s; the standby's is the warm standby, lvsd_warm_standby's default), the
 * configuration tool beside the active one. Idle, each costs under 2 % of a core.
 */
class PairIdleTest {
    static final String D1 = "198.51.100.1";
    static final String D2 = "198.51.100.2";
    static final String RS1 = "198.51.100.21";
    static final String RS2 = "198.51.100.22";
    static final String VIP = "198.51.100.100";

    @TempDir
    Path dir;
    final String suffix = Checkout.suffix();
    final String sw = "pjsw-" + suffix;
    final String d1 = "pjd1-" + suffix;
    final String d2 = "pjd2-" + suffix;
    final String rs = "pjrs-" + suffix;
    final List<String> namespaces = new ArrayList<>();
    final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).destroy();
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        for (String ns : namespaces) { // only ours live there
            for (String pid : sh(false, "ip", "netns", "pids", ns).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (String ns : namespaces) {
            sh(false, "ip", "netns", "del", ns);
        }
    }

    @Test
    void aPairIdlesForNothing() throws Exception {
        RequiredTools.root("network namespaces");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        network();
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, String.join("\n", "serial_no = 1", "primary = " + D1, "service = lvs", "backup_active = 1",
                "backup = " + D2, "heartbeat_port = 539", "keepalive = 2", "deadtime = 6", "network = nat",
                "backend = userspace", "virtual web {", "     active = 1", "     address = " + VIP + " lan0:1",
                "     port = 80", "     send = \"GET / HTTP/1.0\\r\\n\\r\\n\"", "     expect = \"HTTP\"", "     scheduler = rr",
                "     timeout = 2", "     reentry = 4",
                "     server rs1 {", "         address = " + RS1, "         active = 1", "     }",
                "     server rs2 {", "         address = " + RS2, "         active = 1", "     }", "}", ""));
        String lvsdJars = Checkout.ROOT.resolve("lvsd/target/lvsd.jar") + ":" + Checkout.ROOT.resolve("lvsd/target/lib/*");
        for (String[] server : new String[][] {{RS1, "rs1"}, {RS2, "rs2"}}) {
            start(rs, "rs-" + server[1], "java", "-cp", lvsdJars, "piranha.lvsd.demo.DemoRealServer", server[0], "80", server[1]);
        }
        Process pulse1 = start(d1, "pulse-d1", Checkout.bin("pulse").toString(), "-n", "-c", cf.toString(),
                "--lvsd", Checkout.bin("lvsd").toString(), "--control-socket", dir.resolve("d1-pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("d1-lvsd.sock").toString());
        Eventually.within(Duration.ofSeconds(90), () -> assertThat(status("d1-pulse").getString("state")).isEqualTo("active"));
        Process pulse2 = start(d2, "pulse-d2", Checkout.bin("pulse").toString(), "-n", "-c", cf.toString(),
                "--lvsd", Checkout.bin("lvsd").toString(), "--control-socket", dir.resolve("d2-pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("d2-lvsd.sock").toString());
        Path passwd = dir.resolve("piranha.passwd");
        assertThat(Command.run(List.of(Checkout.bin("piranha-passwd").toString(), "--file", passwd.toString(), "idle pair"),
                Map.of(), Duration.ofSeconds(60)).status()).isZero();
        Process gui = start(d1, "gui", Checkout.bin("piranha-gui").toString(), "-n", "-c", cf.toString(),
                "--passwd-file", passwd.toString(), "--port", "3636", "--bind", "127.0.0.1",
                "--pulse-socket", dir.resolve("d1-pulse.sock").toString(), "--lvsd-socket", dir.resolve("d1-lvsd.sock").toString());

        // paired: d1 active with its lvsd and both real servers up, d2 standby, heartbeats both ways
        Eventually.within(Duration.ofSeconds(120), () -> {
            JsonObject p1 = status("d1-pulse");
            JsonObject p2 = status("d2-pulse");
            assertThat(p1.getString("state")).isEqualTo("active");
            assertThat(p1.getString("partner")).isEqualTo("stopped");
            assertThat(p2.getString("state")).isEqualTo("standby");
            assertThat(p2.getString("partner")).isEqualTo("running");
            assertThat(p1.getBoolean("addressesPlumbed")).isTrue();
            assertThat(p2.getLong("lvsdPid", 0L)).as("the standby's warm lvsd").isPositive();
            assertThat(status("d1-lvsd").getJsonArray("services").getJsonObject(0).getJsonArray("servers"))
                    .allSatisfy(s -> assertThat(((JsonObject) s).getString("health")).isEqualTo("up"));
        });
        String answer = sh(true, "ip", "netns", "exec", rs, "curl", "-s", "--max-time", "5", "http://" + VIP + "/");
        assertThat(answer).startsWith("Hello from rs");

        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("pulse (active)", pulse1.pid());
        pids.put("pulse (standby)", pulse2.pid());
        pids.put("lvsd", status("d1-pulse").getLong("lvsdPid"));
        pids.put("lvsd (standby)", status("d2-pulse").getLong("lvsdPid"));
        pids.put("piranha-gui", gui.pid());
        Thread.sleep(10_000); // start-up's compilation settles
        long received = status("d1-pulse").getLong("received");
        Map<String, Double> shares = CpuMeter.shares(pids, Duration.ofSeconds(60));
        System.out.printf("idle CPU over 60 s, pair in namespaces (load %s): %s%n", CpuMeter.loadAverage(),
                OperatorJourneyTest.percent(shares));
        assertThat(status("d1-pulse").getLong("received") - received).as("heartbeats from the standby meanwhile")
                .isGreaterThanOrEqualTo(25);
        assertThat(shares).allSatisfy((daemon, share) -> assertThat(share).as(daemon + " idle, share of a core")
                .isLessThan(OperatorJourneyTest.IDLE_LIMIT));
    }

    /** sw holds a bridge; d1, d2 and rs each a veth on it (rs with both real servers' addresses). */
    void network() throws Exception {
        for (String ns : List.of(sw, d1, d2, rs)) {
            sh(true, "ip", "netns", "add", ns);
            namespaces.add(ns);
            sh(true, "ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh(true, "ip", "-n", sw, "link", "add", "br0", "type", "bridge");
        sh(true, "ip", "-n", sw, "link", "set", "br0", "up");
        attach(d1, "p1", D1);
        attach(d2, "p2", D2);
        attach(rs, "pr", RS1);
        sh(true, "ip", "-n", rs, "addr", "add", RS2 + "/24", "dev", "lan0");
    }

    void attach(String ns, String port, String ip) throws Exception {
        sh(true, "ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", "lan0", "netns", ns);
        sh(true, "ip", "-n", sw, "link", "set", port, "master", "br0", "up");
        sh(true, "ip", "-n", ns, "link", "set", "lan0", "up");
        sh(true, "ip", "-n", ns, "addr", "add", ip + "/24", "dev", "lan0");
    }

    Process start(String ns, String name, String... argv) throws IOException {
        return startIn(ns, dir.resolve(name + ".log"), processes, argv);
    }

    /**
     * A command inside a namespace, its output in log, added to started; `ip netns exec` and the
     * launchers exec, so its pid is the JVM's.
     */
    static Process startIn(String ns, Path log, List<Process> started, String... argv) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        cmd.addAll(List.of(argv));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        Command.clean(pb.environment());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    JsonObject status(String daemon) throws IOException {
        return ControlClient.call(dir.resolve(daemon + ".sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    static String sh(boolean check, String... argv) throws IOException, InterruptedException {
        Command.Result r = Command.run(List.of(argv), Map.of(), Duration.ofSeconds(30));
        if (check && r.status() != 0) {
            throw new IOException(String.join(" ", argv) + " failed: " + r);
        }
        return r.out();
    }
}
