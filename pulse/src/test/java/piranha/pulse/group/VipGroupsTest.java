package piranha.pulse.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;

/** How pulse splits a pair's lvs.cf into its VIP groups: each a pair of its own, the default group first. */
class VipGroupsTest {
    static final String HEAD = String.join("\n", "primary = 198.51.100.11", "primary_private = 203.0.113.11",
            "backup_active = 1", "backup = 198.51.100.12", "backup_private = 203.0.113.12", "heartbeat_port = 539",
            "giveback_delay = 2", "network = nat", "nat_router = 198.51.100.254 eth1:1", "active_cmd = /bin/true", "");

    static String virtual(String name, String vip, String group) {
        return "virtual " + name + " {\n active = 1\n address = " + vip + " eth0:1\n"
                + (group == null ? "" : " vip_group = " + group + "\n")
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n";
    }

    static final String GROUPS = "vip_group g1 {\n primary = 198.51.100.11\n heartbeat_port = 540\n}\n"
            + "vip_group g2 {\n primary = 198.51.100.12\n heartbeat_port = 541\n}\n";

    static LvsCfSource.Loaded load(String text) throws Exception {
        return new LvsCfSource().check(Path.of("lvs.cf"), text.getBytes(StandardCharsets.UTF_8));
    }

    static List<String> vips(VipGroups.Group g) {
        return AddressPlan.of(g.config()).stream().map(p -> p.address().getHostAddress()).toList();
    }

    @Test
    void eachGroupIsAPairOfItsOwnAndTheUngroupedServicesStayOnThePairsHeartbeat() throws Exception {
        LvsCfSource.Loaded loaded = load(HEAD + GROUPS + virtual("web", "198.51.100.100", "g1")
                + virtual("web-tls", "198.51.100.100", "g1") + virtual("mail", "198.51.100.101", "g2")
                + virtual("dns", "198.51.100.102", null));
        List<VipGroups.Group> groups = VipGroups.split(loaded.config(), loaded.vipGroups());
        assertThat(groups).extracting(VipGroups.Group::name).containsExactly("default", "g1", "g2");

        PulseConfig dflt = groups.get(0).config();
        assertThat(dflt.heartbeatPort()).isEqualTo(539);
        assertThat(dflt.primary()).isEqualTo(InetAddress.getByName("198.51.100.11"));
        assertThat(vips(groups.get(0))).containsExactly("198.51.100.254", "198.51.100.102");

        PulseConfig g1 = groups.get(1).config();
        assertThat(g1.heartbeatPort()).isEqualTo(540);
        assertThat(vips(groups.get(1))).containsExactly("198.51.100.100");
        assertThat(g1.activeCmd()).as("hooks belong to no group").isNull();
        assertThat(g1.syncDaemon()).isFalse();

        PulseConfig g2 = groups.get(2).config();
        assertThat(g2.heartbeatPort()).isEqualTo(541);
        assertThat(vips(groups.get(2))).containsExactly("198.51.100.101");
        // the backup is g2's primary: addresses and private path swap with the roles
        assertThat(g2.primary()).isEqualTo(InetAddress.getByName("198.51.100.12"));
        assertThat(g2.backup()).isEqualTo(InetAddress.getByName("198.51.100.11"));
        assertThat(g2.primaryPrivate()).isEqualTo(InetAddress.getByName("203.0.113.12"));
        assertThat(g2.backupPrivate()).isEqualTo(InetAddress.getByName("203.0.113.11"));
        assertThat(g2.natRouter()).isNull();
        assertThat(g2.hasBackup()).isTrue();
        assertThat(g2.extensions().givebackDelay()).isEqualTo(java.time.Duration.ofSeconds(2));
    }

    @Test
    void withoutUngroupedAddressesThereIsNoDefaultGroup() throws Exception {
        LvsCfSource.Loaded loaded = load(HEAD.replace("network = nat\nnat_router = 198.51.100.254 eth1:1\n", "network = direct\n")
                + GROUPS + virtual("web", "198.51.100.100", "g1") + virtual("mail", "198.51.100.101", "g2"));
        assertThat(VipGroups.split(loaded.config(), loaded.vipGroups())).extracting(VipGroups.Group::name)
                .containsExactly("g1", "g2");
    }

    @Test
    void aFileWithoutGroupsHasNoneAndKeepsThePairsConfiguration() throws Exception {
        LvsCfSource.Loaded loaded = load(HEAD + virtual("web", "198.51.100.100", null));
        assertThat(loaded.vipGroups()).isEmpty();
        assertThat(loaded.config().activeCmd()).isEqualTo("/bin/true");
    }
}
