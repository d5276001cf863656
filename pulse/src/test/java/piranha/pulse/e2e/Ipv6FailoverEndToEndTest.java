package piranha.pulse.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.testing.RequiredTools;

/**
 * Two real pulse processes on IPv6 in network namespaces ({@link Ipv6Lab}; keepalive 0.2 s, deadtime
 * 0.6 s), lvsd replaced by {@link StandInLvsd}: heartbeats over IPv6, the VIP added with nodad, the
 * client's neighbour entry moved by the new active director's unsolicited neighbour advertisement,
 * and the private heartbeat path carrying the pair through a cut of the public one.
 */
class Ipv6FailoverEndToEndTest {
    static Ipv6Lab lab;
    @TempDir
    static Path dir;
    static Path lvsd;
    PulseProcess p1;
    PulseProcess p2;

    @BeforeAll
    static void setUp() throws Exception {
        RequiredTools.root("network namespaces, addresses, raw sockets");
        RequiredTools.program("iproute2", "/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip");
        RequiredTools.program("nftables", "/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft");
        lab = new Ipv6Lab();
        lvsd = dir.resolve("lvsd");
        StandInLvsd.launcher(lvsd, "");
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) lab.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (p1 != null) p1.close();
        if (p2 != null) p2.close();
        if (lab != null) {
            lab.heal();
            for (String ns : new String[] {lab.d1, lab.d2}) {
                Lab.shAny("ip", "-n", ns, "-6", "addr", "del", Ipv6Lab.VIP + "/64", "dev", "lan0");
            }
            Lab.shAny("ip", "-n", lab.cli, "-6", "neigh", "flush", "dev", "lan0");
        }
    }

    static Path config(String name, boolean privatePath) throws Exception {
        Path cf = dir.resolve(name + ".lvs.cf");
        Files.writeString(cf, String.join("\n",
                "serial_no = 1",
                "primary = " + Ipv6Lab.D1_IP,
                privatePath ? "primary_private = " + Ipv6Lab.D1_PRIVATE : "",
                "service = lvs",
                "backup_active = 1",
                "backup = " + Ipv6Lab.D2_IP,
                privatePath ? "backup_private = " + Ipv6Lab.D2_PRIVATE : "",
                "heartbeat = 1",
                "heartbeat_port = 539",
                "keepalive = 0.2",
                "deadtime = 0.6",
                "network = direct",
                "monitor_links = 1",
                "garp_count = 3",
                "garp_interval = 0.3",
                "virtual web6 {",
                "     active = 1",
                "     address = " + Ipv6Lab.VIP + " lan0:1",
                "     vip_nmask = 64",
                "     port = 80",
                "     server rs1 {",
                "         address = 2001:db8::21",
                "         active = 1",
                "     }",
                "}", ""));
        return cf;
    }

    /** The primary first, then the backup; d1 active with the VIP, d2 standby. */
    void startOnD1(Path cf) throws Exception {
        p1 = new PulseProcess(lab.d1, dir, "v6d1-" + System.nanoTime(), cf, lvsd);
        assertThat(FailoverEndToEndTest.waitFor(15_000, () -> p1.status() != null)).as(p1.logText()).isTrue();
        p2 = new PulseProcess(lab.d2, dir, "v6d2-" + System.nanoTime(), cf, lvsd);
        assertThat(FailoverEndToEndTest.waitFor(20_000, () -> p1.active() && FailoverEndToEndTest.check(() -> lab.hasVip(lab.d1))
                && "standby".equals(FailoverEndToEndTest.state(p2)) && "running".equals(p2.status().getString("partner"))))
                .as("d1 active with the VIP, d2 standby hearing it\n%s\n%s", p1.logText(), p2.logText()).isTrue();
    }

    @Test
    void theBackupTakesOverAndItsNeighbourAdvertisementMovesTheClientsEntry() throws Exception {
        startOnD1(config("na", false));
        assertThat(FailoverEndToEndTest.waitFor(5_000, () -> {
            FailoverEndToEndTest.check(() -> {
                lab.clientPingVip();
                return true;
            });
            return Ipv6Lab.D1_MAC.equals(FailoverEndToEndTest.check2(lab::clientNeighbourMac));
        })).as("the client resolves the VIP to d1").isTrue();

        p1.kill9(); // d1 keeps the VIP (nobody removes it) but says nothing any more
        assertThat(FailoverEndToEndTest.waitFor(5_000, p2::active)).as(p2.logText()).isTrue();
        assertThat(FailoverEndToEndTest.waitFor(3_000, () -> FailoverEndToEndTest.check(() -> lab.hasVip(lab.d2))))
                .as("the VIP added on d2\n%s", p2.logText()).isTrue();
        // the client sends nothing: only d2's unsolicited advertisement (override flag) can move its entry
        assertThat(FailoverEndToEndTest.waitFor(3_000, () -> Ipv6Lab.D2_MAC.equals(FailoverEndToEndTest.check2(lab::clientNeighbourMac))))
                .as("the client's neighbour entry for the VIP moves to d2: %s\n%s",
                        Lab.shAnyQuiet("ip", "-n", lab.cli, "-6", "neigh", "show"), p2.logText()).isTrue();
        assertThat(p2.logged("gratuitous lvs arps finished", 3_000)).as(p2.logText()).isTrue();
        assertThat(p2.logText()).contains("partner dead: activating lvs").doesNotContain("neighbour advertisement for");
    }

    @Test
    void aCutPublicLinkIsCarriedByThePrivatePathAndOnlyCuttingBothFailsOver() throws Exception {
        startOnD1(config("paths", true));
        assertThat(FailoverEndToEndTest.waitFor(5_000, () -> paths(p2).size() == 2
                && paths(p2).stream().allMatch(p -> ((JsonObject) p).getLong("lastHeartbeatAgeMs") != null)))
                .as("heartbeats on both paths: %s", p2.status()).isTrue();

        lab.cut("lan0");
        assertThat(p2.logged("heartbeat path public to " + Ipv6Lab.D1_IP.replace("::", ":0:0:0:0:0:") + " silent for deadtime;"
                + " partner still heard on the private path", 5_000)).as(p2.logText()).isTrue();
        Thread.sleep(1_500); // five keepalives, more than two deadtimes: nothing else may happen
        assertThat(p2.active()).as("no failover while the private path carries heartbeats\n%s", p2.logText()).isFalse();
        assertThat(p1.active()).isTrue();
        assertThat(p2.status().getJsonArray("pathsSilent")).containsExactly("public");
        assertThat(count(p2.logText(), "heartbeat path public to")).as("logged once").isEqualTo(1);
        assertThat(p2.logText()).doesNotContain("partner dead");

        lab.heal();
        assertThat(p2.logged("heartbeat path public to 2001:db8:0:0:0:0:0:11 restored", 5_000)).as(p2.logText()).isTrue();
        assertThat(p2.status().getJsonArray("pathsSilent")).isEmpty();

        lab.cut("lan0");
        lab.cut("hb0");
        assertThat(FailoverEndToEndTest.waitFor(5_000, p2::active)).as("both paths cut: the backup takes over\n%s", p2.logText())
                .isTrue();
        assertThat(p2.logText()).contains("partner dead: activating lvs");
    }

    private static JsonArray paths(PulseProcess p) {
        JsonObject s = p.status();
        return s == null ? new JsonArray() : s.getJsonArray("paths", new JsonArray());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) n++;
        return n;
    }
}
