package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

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
import piranha.daemon.testing.RequiredTools;
import piranha.daemon.testing.SyslogStandIn;
import piranha.pulse.heartbeat.AuthenticatedCodec;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.heartbeat.PiranhaCodec;
import piranha.pulse.state.PeerState;

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
        RequiredTools.root("network namespaces, addresses, raw sockets");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        lab = new Lab();
        lvsd = dir.resolve("lvsd");
        StandInLvsd.launcher(lvsd, "");
        Path key = dir.resolve("hb.key");
        Files.writeString(key, KEY + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close();
    }

    @AfterEach
    void stopPulses(org.junit.jupiter.api.TestInfo test) throws Exception {
        // how punctual the heartbeats were: the first thing to look at when a timing bound is missed
        for (PulseProcess p : new PulseProcess[] {p1, p2}) {
            JsonObject s = p == null ? null : p.status();
            if (s != null) {
                System.out.println("pulse e2e " + test.getDisplayName() + " " + p.log.getFileName() + ": heartbeats late "
                        + s.getLong("late") + ", at most " + s.getLong("maxLateMs") + " ms");
            }
        }
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

    static Path config(String name, boolean withKey, String... extra) throws Exception {
        return configWithVip(name, withKey, Lab.VIP, extra);
    }

    static Path configWithVip(String name, boolean withKey, String vip, String... extra) throws Exception {
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
                String.join("\n", extra),
                "virtual web {",
                "     active = 1",
                "     address = " + vip + " lan0:1",
                "     vip_nmask = 255.255.255.0",
                "     port = 80",
                "     server rs1 {",
                "         address = 198.51.100.21",
                "         active = 1",
                "     }",
                "}", ""));
        return cf;
    }

    /**
     * The primary first, then the backup: the primary ends up active. (A backup that is up before the
     * primary takes over at the primary's first "stopped" and keeps the addresses: Piranha's no give-back.)
     */
    void startBoth(boolean withKey) throws Exception {
        Path cf = config(withKey ? "keyed" : "plain", withKey);
        p1 = new PulseProcess(lab.d1, dir, "d1-" + System.nanoTime(), cf, lvsd);
        assertThat(waitFor(15_000, () -> p1.status() != null)).as(p1.logText()).isTrue();
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
        Path cf = config("plain", false);
        p1 = new PulseProcess(lab.d1, dir, "d1-" + System.nanoTime(), cf, lvsd);
        p2 = new PulseProcess(lab.d2, dir, "d2-" + System.nanoTime(), cf, lvsd);
        assertThat(waitFor(20_000, () -> p1.status() != null && p2.status() != null
                && p1.active() != p2.active())).as("exactly one active\n%s\n%s", p1.logText(), p2.logText()).isTrue();
        // it stays that way: no flapping over several keepalives
        Thread.sleep(1500);
        boolean d1Active = p1.active();
        assertThat(p2.active()).isNotEqualTo(d1Active);
        String activeNs = d1Active ? lab.d1 : lab.d2;
        String standbyNs = d1Active ? lab.d2 : lab.d1;
        String mac = d1Active ? Lab.D1_MAC : Lab.D2_MAC;
        assertThat(waitFor(5_000, () -> check(() -> lab.hasVip(activeNs)) && !check(() -> lab.hasVip(standbyNs))))
                .as("the VIP is on the active one only").isTrue();
        assertThat(waitFor(5_000, () -> {
            check(() -> {
                lab.clientTouchVip();
                return true;
            });
            return mac.equals(check2(lab::clientNeighbourMac));
        })).as("client resolves the VIP to the active director").isTrue();
        assertLogged(p1, "STARTING PULSE AS MASTER");
        assertLogged(p2, "STARTING PULSE AS BACKUP");
        assertLogged(p1, "heartbeats are not authenticated");
    }

    @Test
    void killOfTheActiveMovesEverythingToTheBackupWithinDeadtime() throws Exception {
        startBoth(false);
        settleOnD1();
        long t0 = System.nanoTime();
        p1.kill9();
        assertThat(waitFor(3_000, p2::active)).isTrue();
        double took = (activatedAt(p2) - t0) / 1e9;
        assertThat(took).as("takeover after kill -9 (deadtime 0.6 s)").isLessThan(0.6 + 0.5);
        assertLogged(p2, "partner dead: activating lvs");
        assertThat(waitFor(8_000, () -> Lab.D2_MAC.equals(check2(lab::clientNeighbourMac))))
                .as("client's neighbour entry moved to d2 (gratuitous ARP)\n%s", p2.logText()).isTrue();
        assertThat(waitFor(3_000, () -> p2.logText().contains("gratuitous lvs arps finished"))).isTrue();
    }

    /**
     * A killed active pulse leaves its VIP where it was: the partner takes over, and both directors hold
     * it until something removes it. pulse --release (systemd's ExecStopPost) does; it refuses while a
     * pulse answers on the control socket, and finds nothing after an orderly stop.
     */
    @Test
    void releaseRemovesTheVipAKilledActiveLeftAndLeavesARunningPulsesAlone() throws Exception {
        startBoth(false);
        settleOnD1();
        Path cf = p1.config;
        PulseProcess.Ran refused = PulseProcess.run(lab.d1, cf, p1.status, "--release");
        assertThat(refused.status()).as(refused.output()).isEqualTo(1);
        assertThat(refused.output()).contains("a pulse answers on " + p1.status);
        assertThat(lab.hasVip(lab.d1)).as("the running pulse keeps its VIP").isTrue();

        p1.kill9();
        assertThat(waitFor(5_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2)))).as(p2.logText()).isTrue();
        assertThat(lab.hasVip(lab.d1)).as("the killed pulse left its VIP: two directors hold it").isTrue();
        PulseProcess.Ran released = PulseProcess.run(lab.d1, cf, p1.status, "--release");
        assertThat(released.status()).as(released.output()).isZero();
        assertThat(released.output()).contains("release: VIP " + Lab.VIP + "/24 was left on lan0:1: removed");
        assertThat(lab.hasVip(lab.d1)).isFalse();
        assertThat(lab.hasVip(lab.d2)).as("the partner's VIP is its own").isTrue();

        PulseProcess.Ran again = PulseProcess.run(lab.d1, cf, p1.status, "--release");
        assertThat(again.status()).as(again.output()).isZero();
        assertThat(again.output()).contains("release: no address of " + cf + " on this host");
    }

    /**
     * lvs.cf changed on disk after the VIP was added (an operator's edit not yet applied, or one a
     * config sync brought): --release still removes what the killed pulse added, from the ledger pulse
     * keeps beside its control socket.
     */
    @Test
    void releaseRemovesWhatTheKilledPulseAddedEvenWhenLvsCfNamesAnotherVipSince() throws Exception {
        startBoth(false);
        settleOnD1();
        Path ledger = piranha.pulse.address.AddressLedger.fileFor(p1.status);
        assertThat(Files.readString(ledger)).as("the active pulse records its VIP").contains(Lab.VIP + "/24 lan0:1 VIP");
        Path edited = configWithVip("edited-since", false, "198.51.100.111");
        p1.kill9();
        assertThat(waitFor(5_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2)))).as(p2.logText()).isTrue();
        PulseProcess.Ran released = PulseProcess.run(lab.d1, edited, p1.status, "--release");
        assertThat(released.status()).as(released.output()).isZero();
        assertThat(released.output()).contains("release: VIP " + Lab.VIP + "/24 was left on lan0:1: removed");
        assertThat(lab.hasVip(lab.d1)).isFalse();
        assertThat(lab.hasVip(lab.d2)).isTrue();
        assertThat(ledger).as("nothing left to record").doesNotExist();
    }

    /**
     * Nothing ran --release after the kill (a service manager without ExecStopPost, or pulse started
     * by hand), and d1's lvs.cf names another VIP by the time it starts again: the next pulse removes
     * what its predecessor recorded before its first heartbeat (its start-up deactivation, Piranha's,
     * only knows the new lvs.cf's addresses).
     */
    @Test
    void aPulseStartedAfterAKillRemovesTheVipItsPredecessorLeftWhateverLvsCfNamesNow() throws Exception {
        Path cf = config("plain", false);
        String d1 = "d1-" + System.nanoTime();
        p1 = new PulseProcess(lab.d1, dir, d1, cf, lvsd);
        assertThat(waitFor(15_000, () -> p1.status() != null)).as(p1.logText()).isTrue();
        p2 = new PulseProcess(lab.d2, dir, "d2-" + System.nanoTime(), cf, lvsd);
        settleOnD1();
        p1.kill9();
        assertThat(waitFor(5_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2)))).as(p2.logText()).isTrue();
        assertThat(lab.hasVip(lab.d1)).as("the killed pulse left its VIP").isTrue();

        Path edited = configWithVip("edited-before-restart", false, "198.51.100.111");
        p1 = new PulseProcess(lab.d1, dir, d1, edited, lvsd); // the same control socket, so the same ledger
        assertLogged(p1, "VIP " + Lab.VIP + "/24 was left on lan0:1 by a pulse that did not release it: removed");
        assertThat(lab.hasVip(lab.d1)).isFalse();
        assertThat(lab.hasVip(lab.d2)).as("the partner's VIP is its own").isTrue();
    }

    /** An lvs.cf with Piranha's keys only (whole-second timing, no extension key). */
    static Path piranhaOnlyConfig(String name, String... extra) throws Exception {
        Path cf = dir.resolve(name + ".lvs.cf");
        String text = Files.readString(configWithVip(name + "-base", false, Lab.VIP, extra))
                .replace("keepalive = 0.2", "keepalive = 1").replace("deadtime = 0.6", "deadtime = 2")
                .replace("garp_count = 3\n", "").replace("garp_interval = 0.3\n", "");
        Files.writeString(cf, text);
        return cf;
    }

    void startBothWith(Path cf) throws Exception {
        p1 = new PulseProcess(lab.d1, dir, "d1-" + System.nanoTime(), cf, lvsd);
        assertThat(waitFor(15_000, () -> p1.status() != null)).as(p1.logText()).isTrue();
        p2 = new PulseProcess(lab.d2, dir, "d2-" + System.nanoTime(), cf, lvsd);
    }

    /** The default: the backup's lvsd is ready before it is needed, and the takeover keeps it. */
    @Test
    void withPiranhasKeysOnlyTheBackupKeepsAWarmLvsdAndATakeoverOnlyMovesTheAddresses() throws Exception {
        Path cf = piranhaOnlyConfig("piranha-only");
        assertThat(Files.readString(cf)).doesNotContain("garp_", "lvsd_warm_standby", "keepalive = 0.", "deadtime = 0.");
        startBothWith(cf);
        settleOnD1();
        assertThat(waitFor(15_000, () -> p2.status().getLong("lvsdPid", 0L) > 0))
                .as("the standby runs lvsd\n%s", p2.logText()).isTrue();
        long warm = p2.status().getLong("lvsdPid");
        assertThat(ProcessHandle.of(warm)).isPresent();
        assertThat(lab.hasVip(lab.d2)).as("no VIP on the standby").isFalse();
        p1.kill9();
        assertThat(waitFor(5_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2))))
                .as("d2 takes over\n%s", p2.logText()).isTrue();
        assertThat(p2.status().getLong("lvsdPid")).as("the same lvsd, not a new one").isEqualTo(warm);
        assertThat(p2.status().getLong("lvsdRestarts")).isZero();
    }

    @Test
    void lvsdWarmStandbyZeroKeepsPiranhasColdStandby() throws Exception {
        startBothWith(piranhaOnlyConfig("cold", "lvsd_warm_standby = 0"));
        settleOnD1();
        Thread.sleep(1500);
        assertThat(p2.status().getLong("lvsdPid", 0L)).as("no lvsd on a cold standby").isZero();
        p1.kill9();
        assertThat(waitFor(8_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2))
                && p2.status().getLong("lvsdPid", 0L) > 0)).as("d2 starts lvsd at takeover\n%s", p2.logText()).isTrue();
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
        assertLogged(p1, "Primary NIC: link down", "Local NIC link failure: Pulse disabled",
                "local link failure: deactivating LVS");
        assertThat(p1.logText().split("Primary NIC: link down", -1)).hasSize(2); // logged once
        assertThat(waitFor(8_000, () -> Lab.D2_MAC.equals(check2(lab::clientNeighbourMac)))).isTrue();
        Lab.sh("ip", "-n", lab.d1, "link", "set", "lan0", "up");
        assertThat(waitFor(3_000, () -> p1.logText().contains("Local NIC link(s) restored: Pulse enabled"))).isTrue();
    }

    @Test
    void healedPartitionLeavesOnlyThePrimaryActiveAndReannounced() throws Exception {
        RequiredTools.program("nftables", "/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft");
        startBoth(false);
        settleOnD1();
        Lab.sh("ip", "netns", "exec", lab.d2, "nft", "add table inet pt; "
                + "add chain inet pt in { type filter hook input priority 0; }; "
                + "add chain inet pt out { type filter hook output priority 0; }; "
                + "add rule inet pt in udp dport 539 drop; add rule inet pt out udp dport 539 drop");
        assertThat(waitFor(5_000, p2::active)).as("partition: both active").isTrue();
        assertThat(p1.active()).isTrue();
        int reannouncedBefore = count(p1.logText(), "resending arps");
        // the heal at real-time priority, so a loaded machine does not stretch it
        long healed = System.nanoTime();
        Lab.sh("chrt", "-r", "1", "ip", "netns", "exec", lab.d2, "nft", "delete", "table", "inet", "pt");
        assertThat(waitFor(5_000, () -> "standby".equals(state(p2)) && p1.active()))
                .as("one active after the heal\n%s\n%s", p1.logText(), p2.logText()).isTrue();
        // when d2 stood down by its own clock: how late this test polls does not count
        double took = (transitionAt(p2, "standby") - healed) / 1e9;
        assertThat(took).as("one active within 2 keepalives of the heal").isLessThan(2 * 0.2 + 0.2);
        assertThat(waitFor(2_000, () -> count(p1.logText(), "resending arps") > reannouncedBefore))
                .as("the primary re-announced\n%s", p1.logText()).isTrue();
        assertThat(waitFor(3_000, () -> !check(() -> lab.hasVip(lab.d2)))).isTrue();
        assertThat(waitFor(5_000, () -> Lab.D1_MAC.equals(check2(lab::clientNeighbourMac)))).isTrue();
        Thread.sleep(600);
        assertThat(p1.active()).isTrue();
        assertThat(state(p2)).isEqualTo("standby");
    }

    /**
     * Every pulse thread runs SCHED_RR; the heartbeat thread one priority above the others, and the
     * sweep that keeps new threads real-time leaves it there.
     */
    @Test
    void theHeartbeatThreadRunsAboveEveryOtherPulseThread() throws Exception {
        startBoth(false);
        settleOnD1();
        Thread.sleep(2_500); // two sweeps after the start
        java.util.Map<String, int[]> byThread = p1.threadScheduling();
        String seen = byThread.entrySet().stream().map(e -> e.getKey() + " prio " + e.getValue()[0] + " policy " + e.getValue()[1])
                .collect(java.util.stream.Collectors.joining("\n"));
        int heartbeat = 0, understudy = 0, director = 0;
        for (var e : byThread.entrySet()) {
            int prio = e.getValue()[0], policy = e.getValue()[1];
            // the understudy ("heartbeat-understudy", 15 characters of it in comm) sends for it
            boolean isUnderstudy = e.getKey().startsWith("heartbeat-under/");
            if (isUnderstudy) understudy++;
            if (e.getKey().startsWith("heartbeat/") || isUnderstudy) {
                heartbeat++;
                assertThat(policy).as(seen).isEqualTo(2);
                assertThat(prio).as(seen).isEqualTo(2);
            } else {
                assertThat(prio).as("no other thread at the heartbeat's priority\n" + seen).isLessThanOrEqualTo(1);
                if (e.getKey().startsWith("director/")) {
                    director++;
                    assertThat(policy).as(seen).isEqualTo(2);
                    assertThat(prio).as(seen).isEqualTo(1);
                }
            }
        }
        assertThat(understudy).as("one understudy with two CPUs or more\n" + seen)
                .isEqualTo(piranha.daemon.RealtimeScheduling.allowedCpus().length >= 2 ? 1 : 0);
        assertThat(heartbeat - understudy).as(seen).isEqualTo(1);
        assertThat(director).as(seen).isEqualTo(1);
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

    @Test
    void lvsdDeathOnTheActiveHandsOverAndInhibits() throws Exception {
        startBoth(false);
        settleOnD1();
        long lvsdPid = p1.status().getLong("lvsdPid");
        assertThat(lvsdPid).isPositive();
        ProcessHandle.of(lvsdPid).orElseThrow().destroyForcibly();
        assertThat(waitFor(5_000, () -> p2.active() && check(() -> lab.hasVip(lab.d2))))
                .as("d2 takes over\n%s\n%s", p1.logText(), p2.logText()).isTrue();
        assertLogged(p1, "Child process " + lvsdPid + " exited due to signal 9",
                "lvsd failed: deactivating LVS");
        assertLogged(p2, "primary inactive: activating lvs");
        assertThat(waitFor(3_000, () -> !check(() -> lab.hasVip(lab.d1))))
                .as("d1 released the VIP\n%s\n%s", p1.logText(), p2.logText()).isTrue();
        assertThat(p1.status().getJsonArray("inhibit").getList()).isEmpty(); // the partner's "running" cleared it
        Thread.sleep(600);
        assertThat(state(p1)).as("%s\n%s", p1.logText(), p2.logText()).isEqualTo("standby");
    }

    @Test
    void sigtermOnTheActiveReleasesAndTheBackupTakesOverAtOnce() throws Exception {
        startBoth(false);
        settleOnD1();
        p1.process.destroy();
        assertThat(waitFor(3_000, p2::active)).isTrue();
        // taken over on d1's last "stopped", not after deadtime of silence
        assertLogged(p2, "primary inactive: activating lvs");
        assertThat(p2.logText()).doesNotContain("partner dead");
        assertThat(p1.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p1.process.exitValue()).isZero();
        assertLogged(p1, "Terminating due to signal 15");
        assertThat(check(() -> lab.hasVip(lab.d1))).as("d1 released the VIP\n%s", p1.logText()).isFalse();
    }

    @Test
    void returningPrimaryStaysStandbyUnlessForcedOrGivenBackAfterTheDelay() throws Exception {
        startBoth(false);
        settleOnD1();
        p1.kill9();
        assertThat(waitFor(3_000, p2::active)).isTrue();
        Path cf = config("plain", false);
        p1 = new PulseProcess(lab.d1, dir, "d1-back-" + System.nanoTime(), cf, lvsd);
        assertThat(waitFor(15_000, () -> "running".equals(p1.status() == null ? null : p1.status().getString("partner"))))
                .isTrue();
        Thread.sleep(1000);
        assertThat(state(p1)).as("Piranha: no give-back").isEqualTo("standby");
        assertThat(p2.active()).isTrue();
        p1.close();

        p1 = new PulseProcess(lab.d1, dir, "d1-force-" + System.nanoTime(), cf, lvsd, "--forceactive");
        assertThat(waitFor(15_000, () -> p1.active() && "standby".equals(state(p2))))
                .as("--forceactive takes over\n%s", p1.logText()).isTrue();
        assertLogged(p1, "Forced active on startup: activating lvs");
        assertLogged(p2, "partner active: deactivating LVS");
        assertThat(waitFor(5_000, () -> check(() -> lab.hasVip(lab.d1)) && !check(() -> lab.hasVip(lab.d2)))).isTrue();

        p1.kill9();
        assertThat(waitFor(3_000, p2::active)).isTrue();
        Path giveback = config("giveback", false, "giveback_delay = 1.5");
        p1 = new PulseProcess(lab.d1, dir, "d1-giveback-" + System.nanoTime(), giveback, lvsd);
        assertThat(waitFor(20_000, () -> p1.active() && "standby".equals(state(p2))))
                .as("giveback_delay\n%s", p1.logText()).isTrue();
        assertLogged(p1, "giveback delay passed: activating lvs");
        assertThat(waitFor(8_000, () -> Lab.D1_MAC.equals(check2(lab::clientNeighbourMac)))).isTrue();
    }

    /**
     * SIGHUP on both directors: a new heartbeat port and a second VIP. They pair again on the new port,
     * the active one adds and announces the new VIP, lvsd is told to reload; then a broken file is
     * refused with its errors located and nothing changes.
     */
    @Test
    void sighupAppliesHeartbeatPortAndAddressesAndRefusesABrokenFile() throws Exception {
        Path cf = config("reload", false);
        p1 = new PulseProcess(lab.d1, dir, "d1-hup-" + System.nanoTime(), cf, lvsd);
        assertThat(waitFor(15_000, () -> p1.status() != null)).isTrue();
        p2 = new PulseProcess(lab.d2, dir, "d2-hup-" + System.nanoTime(), cf, lvsd);
        settleOnD1();
        String newVip = "198.51.100.101";
        Files.writeString(cf, Files.readString(cf).replace("heartbeat_port = 539", "heartbeat_port = 1539")
                .replace("virtual web {", String.join("\n", "virtual mail {", "     active = 1",
                        "     address = " + newVip + " lan0:2", "     vip_nmask = 255.255.255.0", "     port = 25",
                        "     server rs1 {", "         address = 198.51.100.21", "         active = 1", "     }", "}",
                        "virtual web {")));
        Lab.sh("kill", "-HUP", Long.toString(p1.process.pid()), Long.toString(p2.process.pid()));
        assertLogged(p1, "rereading configuration file", "configuration reloaded; changed: heartbeat addresses/port, addresses",
                "heartbeats on port 1539", "lvsd: stand-in reloading");
        assertLogged(p2, "heartbeats on port 1539");
        assertThat(waitFor(5_000, () -> Lab.shAnyQuiet("ip", "-n", lab.d1, "-4", "addr", "show", "dev", "lan0")
                .contains(" " + newVip + "/") && check(() -> lab.hasVip(lab.d1))))
                .as("d1 has both VIPs\n%s", p1.logText()).isTrue();
        assertThat(Lab.shAny("ip", "netns", "exec", lab.d1, "ss", "-uln")).contains(Lab.D1_IP + ":1539")
                .doesNotContain(Lab.D1_IP + ":539 ");
        // paired on the new port: heartbeats flow both ways, d1 stays the active one
        JsonObject s1 = p1.status();
        JsonObject s2 = p2.status();
        Thread.sleep(1000);
        assertThat(p1.status().getLong("received")).isGreaterThan(s1.getLong("received") + 2);
        assertThat(p2.status().getLong("received")).isGreaterThan(s2.getLong("received") + 2);
        assertThat(waitFor(5_000, () -> p1.active() && "standby".equals(state(p2))
                && "stopped".equals(p1.status().getString("partner")) && "running".equals(p2.status().getString("partner"))))
                .as("%s\n%s", p1.logText(), p2.logText()).isTrue();
        assertThat(waitFor(5_000, () -> !Lab.shAnyQuiet("ip", "-n", lab.d2, "-4", "addr", "show", "dev", "lan0")
                .contains(" " + newVip + "/"))).isTrue();

        int transitions = p1.status().getJsonArray("transitions").size();
        Files.writeString(cf, Files.readString(cf).replace("keepalive = 0.2", "keepalive = soon"));
        Lab.sh("kill", "-HUP", Long.toString(p1.process.pid()));
        assertLogged(p1, "configuration not reloaded: the running one is kept");
        assertThat(p1.logText()).containsPattern("error: .*" + java.util.regex.Pattern.quote(cf.getFileName().toString())
                + ".*\\d+.*keepalive");
        Thread.sleep(600);
        assertThat(p1.active()).isTrue();
        assertThat(p1.status().getJsonArray("transitions").size()).isEqualTo(transitions);
        assertThat(Lab.shAny("ip", "netns", "exec", lab.d1, "ss", "-uln")).contains(Lab.D1_IP + ":1539");
        Lab.shAny("ip", "-n", lab.d1, "addr", "del", newVip + "/24", "dev", "lan0");
    }

    /**
     * Without -n: Piranha's lines go to syslog (here a /dev/log stand-in the test binds) and the pid
     * file exists while pulse runs.
     */
    @Test
    void inTheBackgroundPulseLogsToSyslogAndKeepsAPidFile() throws Exception {
        Path cf = dir.resolve("bg.lvs.cf");
        Files.writeString(cf, Files.readString(config("plain", false)).replace("backup_active = 1", "backup_active = 0"));
        Path pidFile = dir.resolve("run/pulse.pid");
        try (SyslogStandIn syslog = new SyslogStandIn(dir.resolve("dev-log-" + System.nanoTime()))) {
            p1 = new PulseProcess(lab.d1, dir, "d1-bg-" + System.nanoTime(), cf, lvsd, false,
                    java.util.Map.of("PIRANHA_DEV_LOG", syslog.path().toString()), "-t", "--pidfile", pidFile.toString());
            assertThat(waitFor(15_000, p1::active)).as(p1.logText()).isTrue();
            assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(p1.process.pid()));
            String lines = syslog.receiveUntil("no backup configured: activating lvs", 10_000);
            // facility daemon (3), info (6): <30>; ident pulse with its pid
            assertThat(lines).contains("<30>").contains(" pulse[" + p1.process.pid() + "]: STARTING PULSE AS MASTER")
                    .contains(" pulse[" + p1.process.pid() + "]: no backup configured: activating lvs");
            assertThat(p1.logText()).as("nothing on stdout").doesNotContain("STARTING PULSE");
            p1.process.destroy();
            assertThat(p1.process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(syslog.receiveUntil("Terminating due to signal 15", 5_000)).contains("Terminating due to signal 15");
            assertThat(pidFile).as("removed at exit").doesNotExist();
        }
    }

    @Test
    void testStartLogsActionsAndPerformsNone() throws Exception {
        Path cf = config("lone", false).getParent().resolve("lone.lvs.cf");
        Files.writeString(cf, Files.readString(config("plain", false)).replace("backup_active = 1", "backup_active = 0"));
        p1 = new PulseProcess(lab.d1, dir, "d1-t-" + System.nanoTime(), cf, lvsd, "-t");
        assertThat(waitFor(15_000, p1::active)).isTrue();
        assertLogged(p1, "no backup configured: activating lvs");
        assertThat(waitFor(5_000, () -> p1.logText().contains("test-start: would run ip addr add 198.51.100.100/24")))
                .as(p1.logText()).isTrue();
        Thread.sleep(300);
        assertThat(check(() -> lab.hasVip(lab.d1))).isFalse();
        assertThat(p1.status().getLong("lvsdPid")).isZero();
        assertThat(p1.status().getLong("sent")).as("a lone primary sends no heartbeats").isZero();
    }

    @Test
    void sendArpMovesTheClientsNeighbourEntry() throws Exception {
        Lab.sh("ip", "-n", lab.d1, "addr", "add", Lab.VIP + "/24", "dev", "lan0");
        assertThat(waitFor(5_000, () -> {
            check(() -> {
                lab.clientTouchVip();
                return true;
            });
            return Lab.D1_MAC.equals(check2(lab::clientNeighbourMac));
        })).isTrue();
        Process p = new ProcessBuilder("ip", "netns", "exec", lab.d2,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "piranha.pulse.SendArpMain", "-i", "lan0", Lab.VIP,
                Lab.D2_MAC.replace(":", ""), "198.51.100.255", "ffffffffffff").redirectErrorStream(true).start();
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
        assertThat(waitFor(3_000, () -> Lab.D2_MAC.equals(check2(lab::clientNeighbourMac)))).isTrue();

        Process bad = new ProcessBuilder("ip", "netns", "exec", lab.d2,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "piranha.pulse.SendArpMain", "-i", "nosuchdev", Lab.VIP,
                Lab.D2_MAC, "0", "ffffffffffff").redirectErrorStream(true).start();
        assertThat(bad.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(1);
        assertThat(new String(bad.getInputStream().readAllBytes())).contains("send_arp: no such device: nosuchdev");
    }

    static long activatedAt(PulseProcess p) {
        return transitionAt(p, "active");
    }

    /**
     * When p last entered state ("active", "standby"), as pulse recorded it on the host's monotonic clock
     * (the one System.nanoTime reads in every process): neither the test's polling nor the time a status
     * request takes on a loaded machine counts.
     */
    static long transitionAt(PulseProcess p, String state) {
        JsonObject s = p.status();
        io.vertx.core.json.JsonArray t = s.getJsonArray("transitions");
        JsonObject last = t.getJsonObject(t.size() - 1);
        assertThat(last.getString("state")).isEqualTo(state);
        return last.getLong("monotonicMs") * 1_000_000L;
    }

    static void send(DatagramSocket s, InetSocketAddress to, ByteBuffer b) throws Exception {
        byte[] data = new byte[b.remaining()];
        b.get(data);
        s.send(new DatagramPacket(data, data.length, to));
    }

    static int ip(String dotted) throws Exception {
        return ByteBuffer.wrap(InetAddress.getByName(dotted).getAddress()).getInt();
    }

    /** pulse writes its lines on a thread of its own: wait for them (bounded) rather than race them. */
    static void assertLogged(PulseProcess p, String... texts) throws InterruptedException {
        for (String t : texts) assertThat(p.logged(t, 10_000)).as("logged: %s\n%s", t, p.logText()).isTrue();
    }

    static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }
}
