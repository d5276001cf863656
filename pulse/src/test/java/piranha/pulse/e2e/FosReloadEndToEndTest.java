package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.testing.RequiredTools;

/**
 * A reload of service = fos, with a real pulse (a lone primary in a network namespace): SIGHUP with a
 * failover block removed and another added stops the removed one (its start_cmd's process stopped,
 * stop_cmd run, its address gone) and starts the new one (address, start_cmd, check); track blocks come
 * and go with it; a broken file and a change of service keep the running state.
 */
class FosReloadEndToEndTest {
    static final String VIP2 = "198.51.100.101";
    static Lab lab;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        RequiredTools.root("network namespaces, addresses");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        RequiredTools.program("python3", "/usr/bin/python3");
        lab = new Lab("fo2-");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close(); // also stops the services left in the namespaces
    }

    static final String HEAD = String.join("\n", "serial_no = 1", "primary = " + Lab.D1_IP, "service = fos",
            "backup_active = 0", "keepalive = 0.2", "deadtime = 0.6", "garp_count = 1", "pulse_metrics = off", "");

    /** A failover block serving HTTP with python's http.server on its own address and port. */
    static String block(String name, String address, String device, int port) {
        return String.join("\n", "failover " + name + " {", "     active = 1", "     address = " + address + " " + device,
                "     port = " + port, "     timeout = 1",
                "     start_cmd = \"/usr/bin/python3 -m http.server " + port + " --bind " + address + " --directory " + dir + "\"",
                "     stop_cmd = \"/usr/bin/touch " + dir.resolve(name + "-stopped") + "\"", "}", "");
    }

    static boolean waitFor(long ms, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return cond.getAsBoolean();
    }

    static String failovers(PulseProcess p) {
        JsonObject s = p.status();
        if (s == null || s.getJsonArray("failover") == null) return String.valueOf(s);
        StringBuilder sb = new StringBuilder();
        for (Object o : s.getJsonArray("failover")) {
            JsonObject f = (JsonObject) o;
            sb.append(f.getString("name")).append('=').append(f.getString("health")).append(' ');
        }
        return sb.toString().trim();
    }

    static void hup(PulseProcess p) throws Exception {
        Lab.sh("kill", "-HUP", Long.toString(p.process.pid()));
    }

    static boolean listening(int port) throws Exception {
        return Lab.shAny("ip", "netns", "exec", lab.d1, "ss", "-Htln", "sport = :" + port).contains(":" + port);
    }

    @Test
    void aReloadStopsRemovedFailoverServicesAndStartsNewOnes() throws Exception {
        Path cf = dir.resolve("reload.lvs.cf");
        Files.writeString(cf, HEAD + block("a", Lab.VIP, "lan0:1", 8081));
        try (PulseProcess p = new PulseProcess(lab.d1, dir, "fosreload", cf, Path.of("/bin/false"))) {
            assertThat(waitFor(20_000, () -> failovers(p).equals("a=up"))).as(failovers(p) + "\n" + p.logText()).isTrue();
            assertThat(lab.hasVip(lab.d1)).isTrue();

            Files.writeString(cf, HEAD + block("b", VIP2, "lan0:2", 8082)
                    + "track b-port {\n     tcp = " + VIP2 + ":8082\n     interval = 1\n}\n");
            hup(p);
            assertThat(p.logged("configuration reloaded; changed: addresses, failover services, tracked checks", 10_000))
                    .as(p.logText()).isTrue();
            assertThat(waitFor(20_000, () -> failovers(p).equals("b=up"))).as(p.logText()).isTrue();
            assertThat(Files.exists(dir.resolve("a-stopped"))).isTrue();
            assertThat(Files.exists(dir.resolve("b-stopped"))).isFalse();
            assertThat(p.logText()).contains("failover a: removed by the reload").contains("failover b: running start_cmd");
            assertThat(waitFor(5_000, () -> {
                try {
                    return !listening(8081) && listening(8082);
                } catch (Exception e) {
                    return false;
                }
            })).isTrue();
            assertThat(lab.hasVip(lab.d1)).isFalse(); // a's address went with it
            assertThat(Lab.shAny("ip", "-n", lab.d1, "-4", "addr", "show", "dev", "lan0")).contains(" " + VIP2 + "/");
            assertThat(waitFor(10_000, () -> {
                JsonArray t = p.status().getJsonArray("track");
                return t.size() == 1 && t.getJsonObject(0).getString("health").equals("passing");
            })).as(p.logText()).isTrue();
            assertThat(p.active()).isTrue();

            // a broken file, then a change of service: refused, the running services stay
            Files.writeString(cf, HEAD + block("b", VIP2, "lan0:2", 8082).replace("port = 8082", "port = eighty"));
            hup(p);
            assertThat(p.logged("configuration not reloaded: the running one is kept", 10_000)).isTrue();
            Files.writeString(cf, HEAD.replace("service = fos", "service = lvs") + "virtual v {\n active = 1\n address = "
                    + VIP2 + " lan0:2\n server s {\n  address = 198.51.100.21\n  active = 1\n }\n}\n");
            hup(p);
            assertThat(p.logged("service = lvs changes only with a restart of pulse", 10_000)).as(p.logText()).isTrue();
            Thread.sleep(1_500);
            assertThat(failovers(p)).isEqualTo("b=up");
            assertThat(listening(8082)).isTrue();
            assertThat(Files.exists(dir.resolve("b-stopped"))).isFalse();
            assertThat(p.status().getJsonArray("track").size()).isEqualTo(1);
        }
    }
}
