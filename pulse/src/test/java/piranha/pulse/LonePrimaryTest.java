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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.ControlClient;

/**
 * A real pulse JVM as a lone primary (backup_active = 0) on loopback, its lvsd the contract stand-in:
 * its status says so, {@code reload} on its control socket reloads pulse and then lvsd and says what
 * each did, and an lvsd that dies is started again (no partner could take over).
 */
class LonePrimaryTest {
    /** The user's own group (the RPM's units pass piranha, the configuration tool's). */
    String group;

    @TempDir
    Path dir;
    Path cf;
    Path log;
    Process pulse;

    @BeforeEach
    void start() throws Exception {
        Path lvsd = dir.resolve("lvsd");
        piranha.pulse.e2e.StandInLvsd.launcher(lvsd, "");
        int port;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = probe.getLocalPort();
        }
        // a VIP of its own in 127/8 (as root pulse adds it to lo and removes it at exit)
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String vip = "127." + r.nextInt(64, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(1, 250);
        cf = dir.resolve("lvs.cf");
        Files.writeString(cf, String.join("\n", "serial_no = 1", "primary = 127.0.0.1", "service = lvs",
                "backup_active = 0", "heartbeat_port = " + port, "keepalive = 0.5", "deadtime = 1.5", "network = nat",
                "virtual web {", "     active = 1", "     address = " + vip + " lo", "     port = 80",
                "     server rs1 {", "         address = 127.0.0.1", "         port = 1", "         active = 1",
                "     }", "}", ""));
        log = dir.resolve("pulse.log");
        group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        pulse = PulseJvm.start(log, "-n", "-c", cf.toString(), "--lvsd=" + lvsd,
                "--control-socket", dir.resolve("pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("lvsd.sock").toString(), "--control-group", group);
        // addresses are plumbed once lvsd has reported ready
        assertThat(waitFor(Duration.ofSeconds(60), () -> ready(status()))).as(logText()).isTrue();
    }

    @AfterEach
    void stop() throws Exception {
        if (pulse != null && pulse.isAlive()) {
            pulse.destroy();
            if (!pulse.waitFor(20, TimeUnit.SECONDS)) {
                pulse.destroyForcibly();
            }
        }
    }

    @Test
    void itSaysItHasNoPartnerAndSendsNothing() throws Exception {
        JsonObject s = status();
        assertThat(s.getString("state")).isEqualTo("active");
        assertThat(s.getString("partner")).isEqualTo("none");
        assertThat(Instant.parse(s.getString("since"))).isBetween(Instant.now().minusSeconds(120), Instant.now());
        assertThat(s.getLong("sent")).isZero();
        assertThat(s.getLong("lvsdRestarts")).isZero();
        assertThat(logText()).doesNotContain("failed: no Ethernet address");
    }

    /** The configuration tool (its own user, this group) can use pulse's socket, and lvsd is told to let it. */
    @Test
    void theControlGroupReachesPulsesSocketAndLvsd() throws Exception {
        Path sock = dir.resolve("pulse.sock");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sock))).isEqualTo("rw-rw----");
        assertThat(Files.readAttributes(sock, java.nio.file.attribute.PosixFileAttributes.class).group().getName()).isEqualTo(group);
        assertThat(logText()).contains("--control-socket " + dir.resolve("lvsd.sock") + " --control-group " + group);
    }

    @Test
    void reloadThroughTheControlSocketReloadsPulseThenLvsdAndSaysWhatEachDid() throws Exception {
        JsonObject r = reload();
        assertThat(r.getBoolean("reloaded")).as(r.encodePrettily()).isTrue();
        assertThat(r.getJsonObject("pulse").getBoolean("applied")).isTrue();
        assertThat(r.getJsonObject("pulse").getJsonArray("changes")).isEmpty();
        assertThat(r.getJsonObject("lvsd").getBoolean("applied")).isTrue();
        assertThat(r.getJsonObject("lvsd").getJsonArray("changes")).containsExactly("stand-in reloaded 1");
        assertThat(logText()).contains("pulse: configuration reloaded; changed: nothing pulse uses", "lvsd: stand-in reloading");

        String good = Files.readString(cf);
        Files.writeString(cf, good.replace("keepalive = 0.5", "keepalive = soon"));
        JsonObject refused = reload();
        assertThat(refused.getBoolean("reloaded")).isFalse();
        assertThat(refused.getString("error")).startsWith("pulse refused lvs.cf, the running configuration stays:\n");
        assertThat(refused.getJsonObject("pulse").getBoolean("applied")).isFalse();
        assertThat(refused.getJsonObject("pulse").getJsonArray("errors").getString(0))
                .as("located: file, line, key").contains(cf.toString() + ":6:").contains("keepalive");
        assertThat(refused.getJsonObject("lvsd").getBoolean("asked")).isFalse();
        assertThat(status().getString("state")).isEqualTo("active");

        Files.writeString(cf, good);
        assertThat(reload().getJsonObject("lvsd").getJsonArray("changes")).containsExactly("stand-in reloaded 2");

        // the event stream has each, numbered in order: standby at start (as Piranha), the takeover, the
        // reloads applied and refused
        List<JsonObject> events = events();
        assertThat(events).extracting(e -> e.getString("kind") + " " + e.getValue("state", e.getValue("applied")))
                .containsExactly("director standby", "director active", "reload true", "reload false", "reload true");
        assertThat(events).extracting(e -> e.getLong("seq")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events.get(1).getString("role")).isEqualTo("primary");
        assertThat(events.get(1).getString("reason")).isNotBlank();
        assertThat(events.get(1).getString("source")).isEqualTo("pulse");
        assertThat(events.get(3).getJsonArray("errors").getString(0)).contains(cf + ":6:");
    }

    /** Piranha's weakness (reference §3.5): with nobody to take over, CHILDFAIL ended the service for good. */
    @Test
    void anLvsdThatDiesIsStartedAgainAndPulseStaysActive() throws Exception {
        long first = lvsdPid(status());
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        assertThat(waitFor(Duration.ofSeconds(60), () -> {
            JsonObject s = status();
            return s != null && s.getLong("lvsdRestarts") == 1 && lvsdPid(s) != first && ready(s)
                    && logText().contains("lvsd restarted (pid " + lvsdPid(s) + ")");
        })).as(logText()).isTrue();
        JsonObject s = status();
        assertThat(s.getString("state")).isEqualTo("active");
        assertThat(s.getJsonArray("inhibit")).isEmpty();
        assertThat(s.getJsonArray("transitions")).hasSize(1);
        assertThat(logText()).contains("Child process " + first + " exited due to signal 9",
                "lvsd failed and no partner is configured: restarting lvsd in 1.0 s (restart 1)", "lvsd restarted (pid ");
        assertThat(reload().getJsonObject("lvsd").getBoolean("applied")).as("the new lvsd answers").isTrue();
        assertThat(events()).extracting(e -> e.getString("kind") + " " + e.getString("state"))
                .containsExactly("director standby", "director active", "lvsd failed", "lvsd restarted", "reload null");
    }

    List<JsonObject> events() throws IOException {
        JsonObject r = ControlClient.call(dir.resolve("pulse.sock"), new JsonObject().put("cmd", "events"), Duration.ofSeconds(10));
        return r.getJsonArray("events").stream().map(JsonObject.class::cast).toList();
    }

    JsonObject status() {
        try {
            return ControlClient.call(dir.resolve("pulse.sock"), new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
        } catch (IOException e) {
            return null;
        }
    }

    JsonObject reload() throws IOException {
        return ControlClient.call(dir.resolve("pulse.sock"), new JsonObject().put("cmd", "reload"), Duration.ofSeconds(60));
    }

    static boolean ready(JsonObject status) {
        return status != null && lvsdPid(status) > 0 && Boolean.TRUE.equals(status.getValue("addressesPlumbed"));
    }

    static long lvsdPid(JsonObject status) {
        return status == null ? 0 : status.getLong("lvsdPid", 0L);
    }

    String logText() {
        return PulseJvm.text(log);
    }

}
