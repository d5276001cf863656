package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.ControlClient;
import piranha.daemon.testing.RequiredTools;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.sync.SyncProtocol;

/**
 * lvs.cf kept in step between two real pulse processes in namespaces ({@code op2-…}), each with its
 * own copy of lvs.cf and a stand-in lvsd: the stamps in the signed heartbeats, {@code sync} on the
 * control socket (what {@code lvsadm sync} sends), and a receiver that refuses an older, tampered,
 * foreign-key or invalid file with its reason. Needs root and iproute2.
 */
class ConfigSyncEndToEndTest {
    static final String KEY = "sync e2e heartbeat key, 32 bytes";
    static Lab lab;
    @TempDir
    static Path dir;
    static Path lvsd;
    static Path key;

    @BeforeAll
    static void setUp() throws Exception {
        RequiredTools.root("network namespaces");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        lab = new Lab("op2-");
        lvsd = dir.resolve("lvsd");
        StandInLvsd.launcher(lvsd, "");
        key = dir.resolve("hb.key");
        Files.writeString(key, KEY + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close();
    }

    static String cf(int serial, boolean withKey, String extra, String rs2) {
        return String.join("\n",
                "serial_no = " + serial,
                "primary = " + Lab.D1_IP,
                "service = lvs",
                "backup_active = 1",
                "backup = " + Lab.D2_IP,
                "heartbeat = 1",
                "heartbeat_port = 539",
                "keepalive = 0.2",
                "deadtime = 2",
                "network = direct",
                withKey ? "heartbeat_key_file = " + key : "",
                extra,
                "virtual web {",
                "     active = 1",
                "     address = " + Lab.VIP + " lan0:1",
                "     vip_nmask = 255.255.255.0",
                "     port = 80",
                "     server rs1 {",
                "         address = 198.51.100.21",
                "         active = 1",
                "     }",
                rs2 == null ? "" : "     server rs2 {\n         address = " + rs2 + "\n         active = 1\n     }",
                "}", "");
    }

    /**
     * Starts the backup once the primary is active alone. Started together, whichever heartbeats first
     * is seen "stopped" by the other, which activates and keeps the service (Piranha has no give-back):
     * a primary whose JVM starts slower than its backup's ends up the standby.
     */
    static PulseProcess backupAfter(PulseProcess primary, java.util.concurrent.Callable<PulseProcess> backup) throws Exception {
        assertThat(waitFor(30_000, primary::active)).as(primary.logText()).isTrue();
        return backup.call();
    }

    static JsonObject ask(PulseProcess p, String cmd) throws Exception {
        return ControlClient.call(p.status, new JsonObject().put("cmd", cmd), Duration.ofSeconds(90));
    }

    static boolean waitFor(long ms, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return cond.getAsBoolean();
    }

    static JsonObject stampOf(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        String s = new String(b, StandardCharsets.US_ASCII);
        long serial = Long.parseLong(s.substring(s.indexOf("serial_no = ") + 12, s.indexOf('\n')).trim());
        return ConfigStamp.of(serial, b).toJson();
    }

    /** The test as a sender from the primary's namespace (the only source the receiver serves). */
    static SyncProtocol.Reply offer(HeartbeatKey k, long serial, byte[] body, int flipAt) throws Exception {
        return Lab.inNamespace(lab.d1, () -> {
            SyncProtocol p = new SyncProtocol(k);
            try (Socket s = new Socket()) {
                s.bind(new InetSocketAddress(Lab.D1_IP, 0));
                s.connect(new InetSocketAddress(Lab.D2_IP, 539), 5000);
                s.setSoTimeout(60_000);
                DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
                // the pair's key reads the challenge; an impostor answers it with its own key
                SyncProtocol reader = new SyncProtocol(new HeartbeatKey(KEY.getBytes(StandardCharsets.US_ASCII)));
                byte[] nonce = reader.readChallenge(in);
                byte[] frame = p.offer(nonce, new SyncProtocol.Offer(serial, body));
                if (flipAt >= 0) frame[53 + flipAt] ^= 0x01; // a byte of the file changed on the way
                OutputStream out = s.getOutputStream();
                out.write(frame);
                out.flush();
                return reader.readReply(in, nonce);
            }
        });
    }

    @Test
    void theBackupTakesANewerFileByteForByteAndRefusesOlderTamperedForeignAndInvalidOnes() throws Exception {
        Path cf1 = dir.resolve("d1.lvs.cf");
        Path cf2 = dir.resolve("d2.lvs.cf");
        Files.writeString(cf1, cf(1, true, "", null));
        Files.writeString(cf2, cf(1, true, "", null));
        Files.setPosixFilePermissions(cf2, PosixFilePermissions.fromString("rw-------"));
        try (PulseProcess p1 = new PulseProcess(lab.d1, dir, "s1", cf1, lvsd);
             PulseProcess p2 = backupAfter(p1, () -> new PulseProcess(lab.d2, dir, "s2", cf2, lvsd))) {
            JsonObject initial = stampOf(cf1);
            // each learns the other's stamp from the signed heartbeats: the copies are the same
            for (PulseProcess p : new PulseProcess[] {p1, p2}) {
                assertThat(waitFor(30_000, () -> {
                    JsonObject s = p.status();
                    return s != null && initial.equals(s.getJsonObject("config")) && initial.equals(s.getJsonObject("partnerConfig"));
                })).as(p.logText()).isTrue();
            }
            assertThat(waitFor(15_000, p1::active)).as(p1.logText()).isTrue();

            // a change on the primary: serial_no 2, a second real server; the backup's copy differs
            Files.writeString(cf1, cf(2, true, "", "198.51.100.22"));
            assertThat(ask(p1, "reload").getBoolean("reloaded")).isTrue();
            JsonObject two = stampOf(cf1);
            assertThat(waitFor(10_000, () -> two.equals(p2.status().getJsonObject("partnerConfig")))).isTrue();
            assertThat(p2.status().getJsonObject("config")).isEqualTo(initial);

            long syncStart = System.nanoTime();
            JsonObject r = ask(p1, "sync");
            // a figure, not a bound: the whole exchange, the backup's check, write and reload included
            System.out.printf("config sync e2e: sync of %d bytes answered in %d ms (load %s)%n", Files.size(cf1),
                    (System.nanoTime() - syncStart) / 1_000_000, Files.readString(Path.of("/proc/loadavg")).trim());
            assertThat(r.getBoolean("synced")).as(r.encodePrettily() + p2.logText()).isTrue();
            assertThat(r.getLong("serial")).isEqualTo(2);
            assertThat(r.getString("reason")).contains("serial_no 2").contains("reloaded");
            assertThat(r.getJsonObject("intent").getBoolean("synced")).as(r.encodePrettily()).isTrue();
            assertThat(r.getJsonObject("intent").getString("reason")).contains("nothing to change");
            assertThat(Files.readAllBytes(cf2)).isEqualTo(Files.readAllBytes(cf1));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cf2))).isEqualTo("rw-------");
            assertThat(p2.logged("lvs.cf from " + Lab.D1_IP + " installed", 5000)).as(p2.logText()).isTrue();
            assertThat(p2.logged("lvsd: stand-in reloading", 5000)).as(p2.logText()).isTrue();
            assertThat(waitFor(10_000, () -> two.equals(p2.status().getJsonObject("config"))
                    && two.equals(p1.status().getJsonObject("partnerConfig")))).isTrue();

            // the same serial again, and an older one: refused, the backup's file stays
            byte[] installed = Files.readAllBytes(cf2);
            r = ask(p1, "sync");
            assertThat(r.getBoolean("synced")).isFalse();
            assertThat(r.getString("error")).contains("serial_no 2 is not newer than this director's 2");
            Files.writeString(cf1, cf(1, true, "# an old copy\n", null));
            r = ask(p1, "sync");
            assertThat(r.getString("error")).contains("serial_no 1 is not newer than this director's 2");
            assertThat(p2.logged("refused: serial_no 1 is not newer", 5000)).isTrue();
            assertThat(Files.readAllBytes(cf2)).isEqualTo(installed);

            // a file changed on the way, a sender with another key, a file that fails the check
            byte[] three = cf(3, true, "", "198.51.100.23").getBytes(StandardCharsets.US_ASCII);
            HeartbeatKey good = new HeartbeatKey(KEY.getBytes(StandardCharsets.US_ASCII));
            SyncProtocol.Reply reply = offer(good, 3, three, 200);
            assertThat(reply.accepted()).isFalse();
            assertThat(reply.reason()).contains("bad MAC");
            assertThat(p2.logged("refused: bad MAC", 5000)).isTrue();
            reply = offer(new HeartbeatKey("not the key of this pair, 32 b..".getBytes(StandardCharsets.US_ASCII)), 3, three, -1);
            assertThat(reply.accepted()).isFalse();
            assertThat(reply.reason()).contains("heartbeat key differs");
            byte[] invalid = cf(3, true, "", "198.51.100.23").replace("port = 80", "port = eighty")
                    .getBytes(StandardCharsets.US_ASCII);
            reply = offer(good, 3, invalid, -1);
            assertThat(reply.accepted()).isFalse();
            assertThat(reply.reason()).contains("fails the check").contains(cf2.toString() + ":").contains("port");
            assertThat(Files.readAllBytes(cf2)).isEqualTo(installed);
            assertThat(p2.status().getJsonObject("config")).isEqualTo(two);

            // the sender refuses to send a file that fails its own check
            Files.write(cf1, invalid);
            r = ask(p1, "sync");
            assertThat(r.getBoolean("synced")).isFalse();
            assertThat(r.getString("error")).contains("fails the check here");

            // config_sync = 1: the active director's reload sends the file by itself
            Files.writeString(cf1, cf(4, true, "config_sync = 1", "198.51.100.24"));
            assertThat(ask(p1, "reload").getBoolean("reloaded")).isTrue();
            assertThat(waitFor(30_000, () -> check(() -> java.util.Arrays.equals(Files.readAllBytes(cf2), Files.readAllBytes(cf1)))))
                    .as(p1.logText()).isTrue();
            JsonObject four = stampOf(cf1);
            assertThat(waitFor(10_000, () -> four.equals(p2.status().getJsonObject("config"))
                    && four.equals(p1.status().getJsonObject("partnerConfig")))).isTrue();
        }
    }

    @Test
    void withoutAHeartbeatKeyNothingIsSyncedAndThePulseSaysWhy() throws Exception {
        Path cf1 = dir.resolve("plain1.lvs.cf");
        Files.writeString(cf1, cf(1, false, "", null));
        try (PulseProcess p1 = new PulseProcess(lab.d1, dir, "plain1", cf1, lvsd)) {
            assertThat(waitFor(15_000, () -> p1.status() != null)).as(p1.logText()).isTrue();
            JsonObject s = p1.status();
            assertThat(s.getJsonObject("config")).isEqualTo(stampOf(cf1));
            assertThat(s.getValue("partnerConfig")).isNull();
            assertThat(s.containsKey("partnerConfig")).isTrue();
            JsonObject r = ask(p1, "sync");
            assertThat(r.getBoolean("synced")).isFalse();
            assertThat(r.getString("error")).contains("sets no heartbeat_key_file");
        }
    }

    /** What lvsadm drain/auto sends to lvsd, here to the active director's (stand-in) lvsd. */
    static JsonObject operator(PulseProcess p, String name, String cmd, String reason, String who) throws Exception {
        // the stand-in serves one connection at a time with a tiny backlog: a connect while it is busy
        // (pulse's own requests, a loaded machine) is refused, as lvsadm would be told; try again, bounded
        for (int attempt = 1; ; attempt++) {
            try {
                return operatorOnce(p, name, cmd, reason, who);
            } catch (java.io.IOException e) {
                if (attempt == 50) throw new AssertionError(e.getMessage() + "\n" + p.logText(), e);
                Thread.sleep(200);
            }
        }
    }

    static JsonObject operatorOnce(PulseProcess p, String name, String cmd, String reason, String who) throws Exception {
        return ControlClient.call(p.status.resolveSibling(name + "-lvsd.sock"), new JsonObject().put("cmd", cmd)
                .put("service", "-t " + Lab.VIP + ":80").put("server", "198.51.100.21:80").put("reason", reason).put("who", who),
                Duration.ofSeconds(10));
    }

    static String stateOf(Path dir) {
        try {
            return Files.readString(dir.resolve("lvsd.state"));
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void theOperatorsDrainReachesTheStandbyAndHoldsAfterTheTakeover() throws Exception {
        // each director its own directory: lvs.cf and lvsd's state file beside it
        Path dir1 = Files.createDirectories(dir.resolve("intent-d1"));
        Path dir2 = Files.createDirectories(dir.resolve("intent-d2"));
        Files.writeString(dir1.resolve("lvs.cf"), cf(1, true, "", null));
        Files.writeString(dir2.resolve("lvs.cf"), cf(1, true, "", null));
        try (PulseProcess p1 = new PulseProcess(lab.d1, dir1, "i1", dir1.resolve("lvs.cf"), lvsd);
             PulseProcess p2 = backupAfter(p1, () -> new PulseProcess(lab.d2, dir2, "i2", dir2.resolve("lvs.cf"), lvsd))) {
            assertThat(waitFor(30_000, () -> {
                JsonObject s1 = p1.status();
                JsonObject s2 = p2.status();
                return s1 != null && s2 != null && "active".equals(s1.getString("state")) && "running".equals(s2.getString("partner"))
                        && s2.getValue("lvsdPid") != null;
            })).as(p1.logText() + p2.logText()).isTrue();
            // lvsd (warm on the standby too) is ready on both before the operator acts
            assertThat(p2.logged("lvsd: stand-in started", 15_000)).isTrue();

            String id = "-t " + Lab.VIP + ":80 -r 198.51.100.21:80";
            assertThat(waitFor(15_000, () -> Files.exists(dir1.resolve("i1-lvsd.sock")))).as(p1.logText()).isTrue();
            assertThat(operator(p1, "i1", "drain", "kernel update", "alice").getBoolean("ok")).isTrue();
            assertThat(p2.logged("lvsd: stand-in drain -t " + Lab.VIP + ":80 198.51.100.21:80 (kernel update) by alice", 20_000))
                    .as(p1.logText() + p2.logText()).isTrue();
            assertThat(waitFor(5_000, () -> new JsonObject(stateOf(dir2).isEmpty() ? "{}" : stateOf(dir2))
                    .getJsonObject("servers", new JsonObject()).getJsonObject(id, new JsonObject()).getString("action", "").equals("drain")))
                    .isTrue();
            assertThat(p1.logged("operator intent sent to " + Lab.D2_IP, 5_000)).isTrue();

            // auto clears it on both; a force-down then holds through the takeover
            assertThat(operator(p1, "i1", "auto", null, "alice").getBoolean("ok")).isTrue();
            assertThat(p2.logged("lvsd: stand-in auto -t " + Lab.VIP + ":80 198.51.100.21:80", 20_000)).isTrue();
            assertThat(operator(p1, "i1", "force-down", "disk failing", "bob").getBoolean("ok")).isTrue();
            assertThat(p2.logged("lvsd: stand-in force-down -t " + Lab.VIP + ":80 198.51.100.21:80 (disk failing) by bob", 20_000))
                    .isTrue();
            p1.kill9();
            assertThat(waitFor(15_000, p2::active)).as(p2.logText()).isTrue();
            JsonObject held = new JsonObject(stateOf(dir2)).getJsonObject("servers").getJsonObject(id);
            assertThat(held.getString("action")).isEqualTo("force-down");
            assertThat(held.getString("reason")).isEqualTo("disk failing");
            assertThat(held.getString("who")).isEqualTo("bob");
            // the new active's lvsd is the one that took the intent: no restart, nothing cleared
            String log = p2.logText();
            assertThat(log.substring(log.lastIndexOf("stand-in force-down"))).doesNotContain("stand-in auto").doesNotContain("stand-in started");
        }
    }

    interface IoCheck {
        boolean get() throws Exception;
    }

    static boolean check(IoCheck c) {
        try {
            return c.get();
        } catch (Exception e) {
            return false;
        }
    }
}
