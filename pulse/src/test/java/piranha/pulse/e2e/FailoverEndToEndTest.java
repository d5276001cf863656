package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonObject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.heartbeat.AuthenticatedCodec;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.heartbeat.PeerState;
import piranha.pulse.heartbeat.PiranhaCodec;

/**
 * Two real pulse processes in network namespaces (keepalive 0.2 s, deadtime 0.6 s), lvsd replaced by
 * {@link StandInLvsd}. Needs root and iproute2; scenario 4 needs nft.
 */
class FailoverEndToEndTest {
    static final String KEY = "e2e heartbeat key, 32 bytes long";
    static Lab lab;
    @TempDir
    static Path dir;
    static Path lvsd;
    PulseProcess p1;
    PulseProcess p2;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")), "needs ip");
        lab = new Lab();
        lvsd = dir.resolve("lvsd");
        Files.writeString(lvsd, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' piranha.pulse.e2e.StandInLvsd \"$@\"\n");
        Files.setPosixFilePermissions(lvsd, PosixFilePermissions.fromString("rwx------"));
        Path key = dir.resolve("hb.key");
        Files.writeString(key, KEY + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close();
    }

    @AfterEach
    void stopPulses() throws Exception {
        if (p1 != null) p1.close();
        if (p2 != null) p2.close();
        if (lab != null) {
            Lab.shAny("ip", "-n", lab.d1, "link", "set", "lan0", "up");
            Lab.shAny("ip", "netns", "exec", lab.d2, "nft", "delete", "table", "inet", "pt");
            Lab.shAny("ip", "-n", lab.d1, "addr", "del", Lab.VIP + "/24", "dev", "lan0");
            Lab.shAny("ip", "-n", lab.d2, "addr", "del", Lab.VIP + "/24", "dev", "lan0");
            Lab.shAny("ip", "-n", lab.cli, "neigh", "flush", "dev", "lan0");
        }
    }

    static Path config(String name, boolean withKey) throws Exception {
        Path cf = dir.resolve(name + ".lvs.cf");
        Files.writeString(cf, String.join("\n",
                "serial_no = 1",
                "primary = " + Lab.D1_IP,
                "service = lvs",
                "backup_active = 1",
                "backup = " + Lab.D2_IP,
                "heartbeat = 1",
                "heartbeat_port = 539",
                "keepalive = 0.2",
                "deadtime = 0.6",
                "network = direct",
                "monitor_links = 1",
                "garp_count = 3",
                "garp_interval = 0.3",
                withKey ? "heartbeat_key_file = " + dir.resolve("hb.key") : "",
                "virtual web {",
                "     active = 1",
                "     address = " + Lab.VIP + " lan0:1",
                "     vip_nmask = 255.255.255.0",
                "     port = 80",
                "     server rs1 {",
                "         address = 198.51.100.21",
                "         active = 1",
                "     }",
                "}", ""));
        return cf;
    }

    void startBoth(boolean withKey) throws Exception {
        Path cf = config(withKey ? "keyed" : "plain", withKey);
        p1 = new PulseProcess(lab.d1, dir, "d1-" + System.nanoTime(), cf, lvsd);
        p2 = new PulseProcess(lab.d2, dir, "d2-" + System.nanoTime(), cf, lvsd);
    }

    static boolean waitFor(long ms, BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(20);
        }
        return cond.getAsBoolean();
    }

    static boolean check(IoCheck c) {
        try {
            return c.get();
        } catch (Exception e) {
            return false;
        }
    }

    interface IoCheck {
        boolean get() throws Exception;
    }

    /** Both up, d1 active with the VIP, d2 standby, the client's ARP entry on d1. */
    void settleOnD1() throws Exception {
        assertThat(waitFor(20_000, () -> p1.active() && check(() -> lab.hasVip(lab.d1))
                && "standby".equals(state(p2)) && !check(() -> lab.hasVip(lab.d2))))
                .as("d1 active with the VIP, d2 standby\n%s\n%s", p1.logText(), p2.logText()).isTrue();
        assertThat(waitFor(5_000, () -> {
            check(() -> {
                lab.clientTouchVip();
                return true;
            });
            return Lab.D1_MAC.equals(check2(lab::clientNeighbourMac));
        })).as("client resolves the VIP to d1").isTrue();
    }

    static String state(PulseProcess p) {
        JsonObject s = p.status();
        return s == null ? null : s.getString("state");
    }

    static String check2(IoString s) {
        try {
            return s.get();
        } catch (Exception e) {
            return "";
        }
    }

    interface IoString {
        String get() throws Exception;
    }

    @Test
    void bothStartExactlyOneActiveAndTheClientPointsAtIt() throws Exception {
        startBoth(false);
        settleOnD1();
        // and it stays that way: no flapping over a few keepalives
        Thread.sleep(1000);
        assertThat(p1.active()).isTrue();
        assertThat(state(p2)).isEqualTo("standby");
        assertThat(p1.logText()).contains("STARTING PULSE AS MASTER");
        assertThat(p2.logText()).contains("STARTING PULSE AS BACKUP");
        assertThat(p1.logText()).contains("heartbeats are not authenticated");
    }

    @Test
    void killOfTheActiveMovesEverythingToTheBackupWithinDeadtime() throws Exception {
        startBoth(false);
        settleOnD1();
        long t0 = System.nanoTime();
        p1.kill9();
        assertThat(waitFor(3_000, p2::active)).isTrue();
        double took = (System.nanoTime() - t0) / 1e9;
        assertThat(took).as("takeover after kill -9 (deadtime 0.6 s)").isLessThan(0.6 + 0.5);
        assertThat(p2.logText()).contains("partner dead: activating lvs");
        assertThat(waitFor(8_000, () -> Lab.D2_MAC.equals(check2(lab::clientNeighbourMac))))
                .as("client's neighbour entry moved to d2 (gratuitous ARP)\n%s", p2.logText()).isTrue();
        assertThat(waitFor(3_000, () -> p2.logText().contains("gratuitous lvs arps finished"))).isTrue();
    }

    @Test
    void linkDownOnTheActiveHandsOver() throws Exception {
        startBoth(false);
        settleOnD1();
        Lab.sh("ip", "-n", lab.d1, "link", "set", "lan0", "down");
        assertThat(waitFor(5_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2))))
                .as("d2 takes over\n%s", p2.logText()).isTrue();
        assertThat(waitFor(3_000, () -> "standby".equals(state(p1)))).isTrue();
        JsonObject s1 = p1.status();
        assertThat(s1.getJsonArray("inhibit").getList()).contains("LINKFAIL");
        assertThat(p1.logText()).contains("Primary NIC: link down", "Local NIC link failure: Pulse disabled",
                "local link failure: deactivating LVS");
        assertThat(p1.logText().split("Primary NIC: link down", -1)).hasSize(2); // logged once
        assertThat(waitFor(8_000, () -> Lab.D2_MAC.equals(check2(lab::clientNeighbourMac)))).isTrue();
        Lab.sh("ip", "-n", lab.d1, "link", "set", "lan0", "up");
        assertThat(waitFor(3_000, () -> p1.logText().contains("Local NIC link(s) restored: Pulse enabled"))).isTrue();
    }

    @Test
    void healedPartitionLeavesOnlyThePrimaryActiveAndReannounced() throws Exception {
        assumeTrue(!Lab.shAny("which", "nft").isBlank(), "needs nft");
        startBoth(false);
        settleOnD1();
        Lab.sh("ip", "netns", "exec", lab.d2, "nft", "add table inet pt; "
                + "add chain inet pt in { type filter hook input priority 0; }; "
                + "add chain inet pt out { type filter hook output priority 0; }; "
                + "add rule inet pt in udp dport 539 drop; add rule inet pt out udp dport 539 drop");
        assertThat(waitFor(5_000, p2::active)).as("partition: both active").isTrue();
        assertThat(p1.active()).isTrue();
        int reannouncedBefore = count(p1.logText(), "resending arps");
        long healed = System.nanoTime();
        Lab.sh("ip", "netns", "exec", lab.d2, "nft", "delete", "table", "inet", "pt");
        assertThat(waitFor(2_000, () -> "standby".equals(state(p2)) && p1.active())).isTrue();
        double took = (System.nanoTime() - healed) / 1e9;
        assertThat(took).as("one active within 2 keepalives of the heal").isLessThan(2 * 0.2 + 0.2);
        assertThat(waitFor(2_000, () -> count(p1.logText(), "resending arps") > reannouncedBefore))
                .as("the primary re-announced\n%s", p1.logText()).isTrue();
        assertThat(waitFor(3_000, () -> !check(() -> lab.hasVip(lab.d2)))).isTrue();
        assertThat(waitFor(5_000, () -> Lab.D1_MAC.equals(check2(lab::clientNeighbourMac)))).isTrue();
        Thread.sleep(600);
        assertThat(p1.active()).isTrue();
        assertThat(state(p2)).isEqualTo("standby");
    }

    @Test
    void forgedAndReplayedHeartbeatsChangeNothing() throws Exception {
        startBoth(true);
        settleOnD1();
        JsonObject before = p2.status();
        int transitionsBefore = before.getJsonArray("transitions").size();
        assertThat(before.getBoolean("authenticated")).isTrue();
        assertThat(p1.logText()).doesNotContain("heartbeats are not authenticated");
        HeartbeatKey key = new HeartbeatKey(KEY.getBytes());
        HeartbeatKey wrong = new HeartbeatKey("not the key the directors share".getBytes());
        int d1 = ip(Lab.D1_IP);
        int d2 = ip(Lab.D2_IP);
        // Attack the standby backup with "stopped" claims from d1's address: Piranha would take over.
        Lab.inNamespace(lab.d1, () -> {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(Lab.D1_IP), 0))) {
                InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(Lab.D2_IP), 539);
                for (int i = 0; i < 20; i++) {
                    // recorded from an earlier run of d1 (older epoch): a replay
                    send(s, to, new AuthenticatedCodec(key, true, d1, d2, 1000 + i).encode(PeerState.STOPPED));
                    // right key id, altered state: forged
                    ByteBuffer forged = new AuthenticatedCodec(key, true, d1, d2, Long.MAX_VALUE - i).encode(PeerState.RUNNING);
                    forged.put(5, (byte) 2);
                    send(s, to, forged);
                    send(s, to, new AuthenticatedCodec(wrong, true, d1, d2, Long.MAX_VALUE).encode(PeerState.STOPPED));
                    send(s, to, new PiranhaCodec().encode(PeerState.STOPPED));
                    ByteBuffer truncated = new AuthenticatedCodec(key, true, d1, d2, Long.MAX_VALUE).encode(PeerState.STOPPED);
                    send(s, to, truncated.limit(40));
                    Thread.sleep(20);
                }
            }
            return null;
        });
        Thread.sleep(1000);
        JsonObject after = p2.status();
        assertThat(after.getString("state")).isEqualTo("standby");
        assertThat(after.getJsonArray("transitions").size()).isEqualTo(transitionsBefore);
        assertThat(p1.active()).isTrue();
        JsonObject by = after.getJsonObject("rejectedBy");
        assertThat(by.getLong("replayed", 0L)).isGreaterThanOrEqualTo(20);
        assertThat(by.getLong("forged", 0L)).isEqualTo(20);
        assertThat(by.getLong("wrong_key", 0L)).isEqualTo(20);
        assertThat(by.getLong("unauthenticated", 0L)).isEqualTo(20);
        assertThat(by.getLong("truncated", 0L)).isEqualTo(20);
        assertThat(after.getLong("received")).isGreaterThan(before.getLong("received"));
    }

    static void send(DatagramSocket s, InetSocketAddress to, ByteBuffer b) throws Exception {
        byte[] data = new byte[b.remaining()];
        b.get(data);
        s.send(new DatagramPacket(data, data.length, to));
    }

    static int ip(String dotted) throws Exception {
        return ByteBuffer.wrap(InetAddress.getByName(dotted).getAddress()).getInt();
    }

    static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
