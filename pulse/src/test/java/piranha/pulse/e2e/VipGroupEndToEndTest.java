package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static piranha.pulse.e2e.FailoverEndToEndTest.waitFor;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.testing.RequiredTools;

/**
 * Two real pulse processes with two vip_group blocks: d1 is g1's primary, d2 g2's. Each ends up
 * carrying its own group; a group fails over alone (its heartbeat port cut, or a director killed).
 * lvsd is {@link StandInLvsd}. Needs root, iproute2 and nft.
 */
class VipGroupEndToEndTest {
    static final String KEY = "e2e heartbeat key, 32 bytes long";
    static final String VIP1 = "198.51.100.100";
    static final String VIP2 = "198.51.100.101";
    static Lab lab;
    @TempDir
    static Path dir;
    static Path lvsd;
    static Path cf;
    PulseProcess p1;
    PulseProcess p2;

    @BeforeAll
    static void setUp() throws Exception {
        RequiredTools.root("network namespaces, addresses, raw sockets");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        RequiredTools.program("nftables", "/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft");
        lab = new Lab("pg");
        lvsd = dir.resolve("lvsd");
        StandInLvsd.launcher(lvsd, "");
        Path key = dir.resolve("hb.key");
        Files.writeString(key, KEY + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        cf = dir.resolve("groups.lvs.cf");
        Files.writeString(cf, String.join("\n",
                "serial_no = 1",
                "primary = " + Lab.D1_IP,
                "service = lvs",
                "backup_active = 1",
                "backup = " + Lab.D2_IP,
                "heartbeat_port = 539",
                "keepalive = 0.2",
                "deadtime = 1",
                "giveback_delay = 1",
                "network = direct",
                "monitor_links = 1",
                "garp_count = 2",
                "garp_interval = 0.3",
                "heartbeat_key_file = " + key,
                "vip_group g1 {",
                "     primary = " + Lab.D1_IP,
                "     heartbeat_port = 540",
                "}",
                "vip_group g2 {",
                "     primary = " + Lab.D2_IP,
                "     heartbeat_port = 541",
                "}",
                virtual("web", VIP1, "lan0:1", "g1"),
                virtual("mail", VIP2, "lan0:2", "g2"), ""));
    }

    static String virtual(String name, String vip, String device, String group) {
        return String.join("\n",
                "virtual " + name + " {",
                "     active = 1",
                "     address = " + vip + " " + device,
                "     vip_nmask = 255.255.255.0",
                "     vip_group = " + group,
                "     port = 80",
                "     server rs1 {",
                "         address = 198.51.100.21",
                "         active = 1",
                "     }",
                "}");
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
            Lab.shAny("ip", "netns", "exec", lab.d2, "nft", "delete", "table", "inet", "pg");
            for (String ns : new String[] {lab.d1, lab.d2}) {
                for (String vip : new String[] {VIP1, VIP2}) Lab.shAny("ip", "-n", ns, "addr", "del", vip + "/24", "dev", "lan0");
            }
        }
    }

    /** d1 first, then d2 (d1 takes both groups alone; d2 takes g2 back after giveback_delay). */
    void startBoth() throws Exception {
        p1 = new PulseProcess(lab.d1, dir, "d1-" + System.nanoTime(), cf, lvsd);
        assertThat(waitFor(15_000, () -> p1.status() != null)).as(p1.logText()).isTrue();
        p2 = new PulseProcess(lab.d2, dir, "d2-" + System.nanoTime(), cf, lvsd);
    }

    /** Each director carries its own group and only it. */
    void settleEachOnItsOwn() throws Exception {
        assertThat(waitFor(25_000, () -> holds(lab.d1, VIP1) && !holds(lab.d1, VIP2) && holds(lab.d2, VIP2)
                && !holds(lab.d2, VIP1) && "active".equals(group(p1, "g1")) && "standby".equals(group(p1, "g2"))
                && "active".equals(group(p2, "g2")) && "standby".equals(group(p2, "g1"))))
                .as("d1 carries g1, d2 carries g2\n%s\n%s", p1.logText(), p2.logText()).isTrue();
    }

    @Test
    void eachDirectorCarriesItsGroupAndAGroupFailsOverAloneWhenItsHeartbeatIsCut() throws Exception {
        startBoth();
        settleEachOnItsOwn();
        JsonObject s1 = p1.status();
        assertThat(s1.getString("mode")).isEqualTo("vip_groups");
        assertThat(s1.getString("state")).isEqualTo("active");
        assertThat(s1.getLong("lvsdPid")).isPositive();
        JsonObject g1 = s1.getJsonArray("groups").getJsonObject(0);
        assertThat(g1.getString("name")).isEqualTo("g1");
        assertThat(g1.getString("role")).isEqualTo("primary");
        assertThat(g1.getString("partner")).isEqualTo("stopped");
        assertThat(g1.getInteger("heartbeatPort")).isEqualTo(540);
        assertThat(g1.getJsonArray("vips").getList()).containsExactly(VIP1);
        assertThat(g1.getBoolean("authenticated")).isTrue();
        assertThat(waitFor(10_000, () -> p2.status().getLong("lvsdPid", 0L) > 0)).as("lvsd runs on both").isTrue();
        assertThat(p2.logText()).contains("vip_group g2: ");
        Thread.sleep(1_100); // a sweep of every group's heartbeat loop since the last one started
        var threads = p1.threadScheduling();
        assertThat(threads.entrySet().stream().filter(e -> e.getKey().startsWith("heartbeat/")).map(e -> e.getValue()[0]))
                .as("each group's heartbeat thread above pulse's others: no group's sweep lowers another's")
                .containsExactly(2, 2);

        int d1Before = p1.logText().length();
        int d2Before = p2.logText().length();
        // only g1's heartbeat is cut: each director thinks the other dead for g1 alone
        Lab.sh("ip", "netns", "exec", lab.d2, "nft", "add table inet pg; "
                + "add chain inet pg in { type filter hook input priority 0; }; "
                + "add chain inet pg out { type filter hook output priority 0; }; "
                + "add rule inet pg in udp dport 540 drop; add rule inet pg out udp dport 540 drop");
        assertThat(waitFor(8_000, () -> "active".equals(group(p2, "g1")) && holds(lab.d2, VIP1)))
                .as("d2 takes g1\n%s", p2.logText()).isTrue();
        assertThat(p2.logText().substring(d2Before)).contains("vip_group g1: partner dead: activating lvs");
        Thread.sleep(1500); // several deadtimes of the other group's heartbeat
        assertThat(group(p2, "g2")).as("g2 stays on d2").isEqualTo("active");
        assertThat(holds(lab.d2, VIP2)).isTrue();
        assertThat(group(p1, "g2")).as("d1 stays g2's standby").isEqualTo("standby");
        assertThat(holds(lab.d1, VIP2)).isFalse();
        // a partition, not a failure: d1 hears nothing on g1 either and keeps it (g1 is dual active)
        assertThat(group(p1, "g1")).isEqualTo("active");
        assertThat(holds(lab.d1, VIP1)).isTrue();
        // g2's heartbeat went on: neither director changed its mind about g2
        assertThat(p1.logText().substring(d1Before)).doesNotContain("vip_group g2: partner");
        assertThat(p2.logText().substring(d2Before)).doesNotContain("vip_group g2: partner");

        Lab.sh("ip", "netns", "exec", lab.d2, "nft", "delete", "table", "inet", "pg");
        settleEachOnItsOwn(); // g1's primary wins the dual-active episode, d2 yields g1 only
        assertThat(p2.logText().substring(d2Before)).contains("vip_group g1: partner active: deactivating LVS");
    }

    @Test
    void killedDirectorLeavesBothGroupsToThePartner() throws Exception {
        startBoth();
        settleEachOnItsOwn();
        int d2Before = p2.logText().length();
        p1.kill9();
        assertThat(waitFor(8_000, () -> "active".equals(group(p2, "g1")) && holds(lab.d2, VIP1) && holds(lab.d2, VIP2)
                && "active".equals(group(p2, "g2"))))
                .as("d2 carries both groups\n%s", p2.logText()).isTrue();
        assertThat(p2.logText().substring(d2Before)).contains("vip_group g1: partner dead: activating lvs")
                .doesNotContain("vip_group g2: partner dead");
        // g2's heartbeat declares the partner dead by its own deadline, without changing anything
        assertThat(waitFor(3_000, () -> "dead".equals(partner(p2, 0)) && "dead".equals(partner(p2, 1))))
                .as("%s", p2.status()).isTrue();
        assertThat(group(p2, "g2")).isEqualTo("active");

        // g1's VIP stayed on the killed director; pulse --release finds it through the groups
        assertThat(holds(lab.d1, VIP1)).as("a killed pulse leaves its group's VIP").isTrue();
        PulseProcess.Ran released = PulseProcess.run(lab.d1, cf, p1.status, "--release");
        assertThat(released.status()).as(released.output()).isZero();
        assertThat(released.output()).contains("release: VIP " + VIP1 + "/24 was left on lan0:1: removed")
                .doesNotContain(VIP2);
        assertThat(holds(lab.d1, VIP1)).isFalse();
        assertThat(holds(lab.d2, VIP1) && holds(lab.d2, VIP2)).as("the partner's are its own").isTrue();
    }

    @Test
    void aLinkFailureHandsEveryGroupOfTheDirectorOverAndTheGroupsComeBackAfterIt() throws Exception {
        startBoth();
        settleEachOnItsOwn();
        int d1Before = p1.logText().length();
        Lab.sh("ip", "-n", lab.d1, "link", "set", "lan0", "down");
        assertThat(waitFor(8_000, () -> "active".equals(group(p2, "g1")) && holds(lab.d2, VIP1) && holds(lab.d2, VIP2)))
                .as("d2 carries both groups\n%s\n%s", p1.logText(), p2.logText()).isTrue();
        assertThat(waitFor(3_000, () -> p1.logText().substring(d1Before).contains("vip_group g1: local link failure: deactivating LVS")))
                .as(p1.logText()).isTrue();
        assertThat(group(p1, "g1")).isEqualTo("standby");
        assertThat(holds(lab.d1, VIP1)).isFalse();
        Lab.sh("ip", "-n", lab.d1, "link", "set", "lan0", "up");
        assertThat(waitFor(5_000, () -> p1.logText().contains("vip_group g1: Local NIC link(s) restored: Pulse enabled")))
                .as(p1.logText()).isTrue();
        settleEachOnItsOwn(); // g1's primary takes g1 back after giveback_delay
    }

    static String partner(PulseProcess p, int group) {
        JsonObject s = p.status();
        return s == null ? null : s.getJsonArray("groups").getJsonObject(group).getString("partner");
    }

    static boolean holds(String ns, String vip) {
        return Lab.shAnyQuiet("ip", "-n", ns, "-4", "addr", "show", "dev", "lan0").contains(" " + vip + "/");
    }

    /** The state of one group on a director ("active", "standby"), or null. */
    static String group(PulseProcess p, String name) {
        JsonObject s = p.status();
        if (s == null || s.getJsonArray("groups") == null) return null;
        for (Object o : s.getJsonArray("groups")) {
            JsonObject g = (JsonObject) o;
            if (name.equals(g.getString("name"))) return g.getString("state");
        }
        return null;
    }
}
