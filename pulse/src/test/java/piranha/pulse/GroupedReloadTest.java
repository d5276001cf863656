package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;
import static piranha.pulse.PulseJvm.waitFor;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.ControlClient;

/**
 * A real pulse JVM with two vip_group blocks in test-start mode (-t: no address, no lvsd) on loopback,
 * its partner's address silent: each group activates alone, the status has a row per group, and a
 * reload applies new VIPs to their group but refuses a change of the groups themselves.
 */
class GroupedReloadTest {
    @TempDir
    Path dir;
    Path cf;
    Path log;
    Process pulse;
    String good;

    static int freePort() throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return probe.getLocalPort();
        }
    }

    static String virtual(String name, String vip, String group) {
        return String.join("\n", "virtual " + name + " {", "     active = 1", "     address = " + vip + " lo",
                "     vip_group = " + group, "     port = 80", "     server rs1 {", "         address = 198.51.100.21",
                "         active = 1", "     }", "}", "");
    }

    @BeforeEach
    void start() throws Exception {
        cf = dir.resolve("lvs.cf");
        good = String.join("\n", "serial_no = 1", "primary = 127.0.0.1", "backup_active = 1", "backup = 127.0.0.2",
                "heartbeat_port = " + freePort(), "keepalive = 0.2", "deadtime = 1", "giveback_delay = 1", "network = direct",
                "vip_group g1 {", "     primary = 127.0.0.1", "     heartbeat_port = " + freePort(), "}",
                "vip_group g2 {", "     primary = 127.0.0.2", "     heartbeat_port = " + freePort(), "}", "")
                + virtual("web", "203.0.113.200", "g1") + virtual("mail", "203.0.113.201", "g2");
        Files.writeString(cf, good);
        log = dir.resolve("pulse.log");
        pulse = PulseJvm.start(log, "-n", "-t", "-c", cf.toString(), "--control-socket", dir.resolve("pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("lvsd.sock").toString(), "--metrics", "off");
        assertThat(waitFor(Duration.ofSeconds(60), () -> "active".equals(group("g1")) && "active".equals(group("g2"))))
                .as(logText()).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (pulse != null && pulse.isAlive()) {
            pulse.destroy();
            if (!pulse.waitFor(20, TimeUnit.SECONDS)) pulse.destroyForcibly();
        }
    }

    @Test
    void eachGroupActivatesAloneAndTheStatusHasARowPerGroup() throws Exception {
        JsonObject s = status();
        assertThat(s.getString("mode")).isEqualTo("vip_groups");
        assertThat(s.getString("role")).isEqualTo("primary");
        assertThat(s.getString("state")).isEqualTo("active");
        assertThat(s.getString("partner")).isEqualTo("dead");
        JsonObject g2 = s.getJsonArray("groups").getJsonObject(1);
        assertThat(g2.getString("name")).isEqualTo("g2");
        assertThat(g2.getString("role")).isEqualTo("backup");
        assertThat(g2.getString("reason")).isEqualTo("partner dead: activating lvs");
        assertThat(g2.getJsonArray("vips").getList()).containsExactly("203.0.113.201");
        assertThat(logText()).contains("pulse: vip_group g1: primary, heartbeat port ", "pulse: vip_group g2: backup, heartbeat port ",
                "pulse: vip_group g2: partner dead: activating lvs",
                "test-start: would run ip addr add 203.0.113.201/32 dev lo");
    }

    @Test
    void aReloadMovesAddressesWithinTheGroupsButRefusesChangedGroups() throws Exception {
        Files.writeString(cf, good + virtual("web2", "203.0.113.202", "g1"));
        JsonObject r = reload();
        assertThat(r.getBoolean("reloaded")).as(r.encodePrettily()).isTrue();
        assertThat(status().getJsonArray("groups").getJsonObject(0).getJsonArray("vips").getList())
                .containsExactly("203.0.113.200", "203.0.113.202");
        assertThat(waitFor(Duration.ofSeconds(5), () -> logText().contains("test-start: would run ip addr add 203.0.113.202/32 dev lo")))
                .as(logText()).isTrue();

        String moved = good.replaceFirst("(vip_group g2 \\{\n     primary = 127.0.0.2\n     heartbeat_port = )\\d+", "$1" + freePort());
        assertThat(moved).isNotEqualTo(good);
        Files.writeString(cf, moved);
        JsonObject refused = reload();
        assertThat(refused.getBoolean("reloaded")).isFalse();
        assertThat(refused.getString("error")).contains("the vip_group blocks changed").contains("restart pulse to apply them");

        Files.writeString(cf, good.replace("vip_group = g2", "vip_group = g3"));
        JsonObject bad = reload();
        assertThat(bad.getBoolean("reloaded")).isFalse();
        assertThat(bad.getJsonObject("pulse").getJsonArray("errors").getString(0))
                .contains(cf + ":").contains("no vip_group block is named 'g3'");
        assertThat(status().getJsonArray("groups").getJsonObject(0).getJsonArray("vips").getList())
                .as("the running configuration stays").containsExactly("203.0.113.200", "203.0.113.202");
    }

    JsonObject status() throws IOException {
        return ControlClient.call(dir.resolve("pulse.sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    JsonObject reload() throws IOException {
        return ControlClient.call(dir.resolve("pulse.sock"), new JsonObject().put("cmd", "reload"), Duration.ofSeconds(60));
    }

    String group(String name) {
        try {
            for (Object o : status().getJsonArray("groups")) {
                JsonObject g = (JsonObject) o;
                if (name.equals(g.getString("name"))) return g.getString("state");
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    String logText() {
        return PulseJvm.text(log);
    }

}
