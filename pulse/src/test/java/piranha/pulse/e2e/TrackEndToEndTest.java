package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.testing.RequiredTools;

/**
 * The track extension in LVS mode, end to end: two real pulse processes in network namespaces, each
 * director with a real HAProxy serving a page that names it on port 80 (all addresses: it answers on
 * the VIP wherever the VIP is), tracked by an http check of 127.0.0.1. A client asks the VIP every 50 ms.
 * HAProxy killed on the active director: the VIP moves to the backup; the old active stays off it while
 * its HAProxy is down, and takes it back under the give-back policy once HAProxy serves again.
 */
class TrackEndToEndTest {
    static final double DEADTIME = 0.6;
    static final int INTERVAL = 1;
    static Lab lab;
    static Path lvsd;
    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        RequiredTools.root("network namespaces, addresses, raw sockets");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        RequiredTools.program("haproxy", "/usr/sbin/haproxy");
        lab = new Lab("fo2-");
        lvsd = dir.resolve("lvsd");
        StandInLvsd.launcher(lvsd, "");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close(); // also kills the HAProxy processes left in the namespaces
    }

    /** HAProxy in the director's namespace, in the foreground, answering "director NAME" on port 80. */
    static Process haproxy(String ns, String director) throws Exception {
        Path cfg = dir.resolve("haproxy-" + director + ".cfg");
        Files.writeString(cfg, String.join("\n",
                "global",
                "  maxconn 64",
                "defaults",
                "  mode http",
                "  timeout connect 1s",
                "  timeout client 5s",
                "  timeout server 5s",
                "frontend web",
                "  bind :80",
                "  http-request return status 200 content-type text/plain string \"director " + director + "\"",
                ""));
        return new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/haproxy", "-db", "-f", cfg.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy-" + director + ".log").toFile()).start();
    }

    static Path config(String name) throws Exception {
        Path cf = dir.resolve(name + ".lvs.cf");
        Files.writeString(cf, String.join("\n",
                "serial_no = 1",
                "primary = " + Lab.D1_IP,
                "service = lvs",
                "backup_active = 1",
                "backup = " + Lab.D2_IP,
                "heartbeat_port = 539",
                "keepalive = 0.2",
                "deadtime = " + DEADTIME,
                "giveback_delay = 1",
                "garp_count = 3",
                "garp_interval = 0.3",
                "backend = userspace",
                "pulse_metrics = off",
                "virtual web {",
                "     active = 1",
                "     address = " + Lab.VIP + " lan0:1",
                "     vip_nmask = 255.255.255.0",
                "     port = 80",
                "     server local {",
                "         address = 127.0.0.1",
                "         active = 1",
                "     }",
                "}",
                "track haproxy {",
                "     http = http://127.0.0.1/",
                "     interval = " + INTERVAL,
                "     timeout = 1",
                "}", ""));
        return cf;
    }

    /** Asks the VIP every 50 ms from the client until it serves want: ms taken, or -1 after limitMs. */
    static long clientUntil(String want, long limitMs) throws Exception {
        return Lab.inNamespace(lab.cli, () -> {
            long start = System.nanoTime();
            for (int i = 0; i < limitMs / 50 + 1; i++) {
                long t = System.nanoTime();
                if (FosEndToEndTest.fetch().equals(want)) return (t - start) / 1_000_000;
                long left = 50 - (System.nanoTime() - t) / 1_000_000;
                if (left > 0) Thread.sleep(left);
            }
            return -1L;
        });
    }

    static boolean waitFor(long ms, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    static JsonObject track(PulseProcess p) {
        JsonObject s = p.status();
        return s == null || s.getJsonArray("track").isEmpty() ? null : s.getJsonArray("track").getJsonObject(0);
    }

    static boolean passing(PulseProcess p) {
        JsonObject t = track(p);
        return t != null && t.getString("health").equals("passing") && t.getLong("checks") >= 2;
    }

    @Test
    void theVipFollowsTheHealthyHaproxy() throws Exception {
        Process h1 = haproxy(lab.d1, "d1");
        Process h2 = haproxy(lab.d2, "d2");
        try (PulseProcess p1 = new PulseProcess(lab.d1, dir, "trk-d1", config("d1"), lvsd)) {
            assertThat(clientUntil("director d1", 20_000)).as(p1.logText()).isGreaterThanOrEqualTo(0);
            try (PulseProcess p2 = new PulseProcess(lab.d2, dir, "trk-d2", config("d2"), lvsd)) {
                assertThat(waitFor(20_000, () -> {
                    JsonObject s = p2.status();
                    return s != null && "standby".equals(s.getString("state")) && "running".equals(s.getString("partner"))
                            && passing(p1) && passing(p2);
                })).as(p1.logText() + "\n----\n" + p2.logText()).isTrue();

                h1.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                long switched = clientUntil("director d2", 10_000);
                System.out.println("track e2e: client got the backup's page " + switched + " ms after HAProxy was killed");
                assertThat(switched).as(p1.logText() + "\n----\n" + p2.logText()).isGreaterThanOrEqualTo(0)
                        .isLessThanOrEqualTo((long) ((DEADTIME + INTERVAL + 1 + 0.5) * 1000));
                assertThat(p1.logged("tracked check failed: deactivating lvs", 5_000)).as(p1.logText()).isTrue();
                JsonObject failing = track(p1);
                assertThat(failing.getString("health")).isEqualTo("failing");
                assertThat(failing.getString("last")).isNotEmpty();
                assertThat(p1.status().getJsonArray("inhibit").getList()).contains("TRACKFAIL");

                // the old active keeps off the VIP while its HAProxy is down, past the give-back delay
                Thread.sleep(2_500);
                assertThat(lab.hasVip(lab.d1)).isFalse();
                assertThat(lab.hasVip(lab.d2)).isTrue();
                assertThat(p1.active()).isFalse();
                assertThat(p2.active()).isTrue();

                // HAProxy back on d1: passing again, the primary takes the VIP back after giveback_delay
                h1 = haproxy(lab.d1, "d1-again");
                long back = clientUntil("director d1-again", 15_000);
                assertThat(back).as(p1.logText()).isGreaterThanOrEqualTo(0);
                assertThat(p1.logText()).contains("track haproxy: http http://127.0.0.1/ passing again");
                assertThat(p1.logText()).contains("giveback delay passed: activating lvs");
            }
        } finally {
            for (Process h : List.of(h1, h2)) h.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
