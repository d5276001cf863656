package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;

/** What a SIGHUP changes, read from real lvs.cf files by the production reader. */
class ConfigChangeTest {
    @TempDir
    Path dir;

    static final List<InetAddress> ON_PRIMARY = List.of(addr("203.0.113.1"), addr("198.51.100.1"));
    static final List<InetAddress> ON_BACKUP = List.of(addr("203.0.113.2"), addr("198.51.100.2"));

    static InetAddress addr(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    PulseConfig cf(String... extra) throws Exception {
        return read("primary = 203.0.113.1\nbackup = 203.0.113.2\nbackup_active = 1", extra);
    }

    PulseConfig read(String directors, String... extra) throws Exception {
        Path f = Files.createTempFile(dir, "lvs", ".cf");
        Files.writeString(f, String.join("\n", directors, String.join("\n", extra), "virtual web {", "  active = 1", "  address = 203.0.113.100 eth0:1",
                "  port = 80", "}", ""));
        return new LvsCfSource().load(f);
    }

    ConfigChange change(PulseConfig a, PulseConfig b, List<InetAddress> local) {
        return ConfigChange.between(a, Node.of(a, local), b, Node.of(b, local));
    }

    @Test
    void theSameFileChangesNothing() throws Exception {
        ConfigChange c = change(cf(), cf(), ON_PRIMARY);
        assertThat(c).isEqualTo(new ConfigChange(false, false, false, false, false, false));
        assertThat(c.describe()).isEqualTo("nothing pulse uses");
    }

    @Test
    void aNewHeartbeatPortRebindsTheHeartbeat() throws Exception {
        ConfigChange c = change(cf("heartbeat_port = 539"), cf("heartbeat_port = 1539"), ON_BACKUP);
        assertThat(c).isEqualTo(new ConfigChange(false, true, false, false, false, false));
    }

    @Test
    void privateAddressesAddAPathAndALinkToWatch() throws Exception {
        PulseConfig b = cf("primary_private = 198.51.100.1", "backup_private = 198.51.100.2");
        ConfigChange c = change(cf(), b, ON_PRIMARY);
        assertThat(c.heartbeat()).isTrue();
        assertThat(c.links()).isTrue();
        assertThat(Node.of(b, ON_PRIMARY).heartbeatPaths()).extracting(p -> p.name() + " " + p.local().getHostAddress()
                + ">" + p.partner().getHostAddress()).containsExactly("public 203.0.113.1>203.0.113.2",
                "private 198.51.100.1>198.51.100.2");
    }

    @Test
    void swappedAddressesChangeTheRoleNotThePaths() throws Exception {
        PulseConfig swapped = read("primary = 203.0.113.2\nbackup = 203.0.113.1\nbackup_active = 1");
        ConfigChange c = change(cf(), swapped, ON_PRIMARY);
        assertThat(c.role()).isTrue();
        assertThat(c.heartbeat()).as("same addresses both ways").isFalse();
        assertThat(Node.of(swapped, ON_PRIMARY).primary()).isFalse();
    }

    @Test
    void timingKeyAndAddressesAreToldApart() throws Exception {
        assertThat(change(cf("keepalive = 2"), cf("keepalive = 0.5"), ON_PRIMARY))
                .isEqualTo(new ConfigChange(false, false, false, true, false, false));
        assertThat(change(cf(), cf("giveback_delay = 30"), ON_PRIMARY).timing()).isTrue();
        assertThat(change(cf(), cf("heartbeat_key_file = /etc/sysconfig/ha/hb.key"), ON_PRIMARY))
                .isEqualTo(new ConfigChange(false, false, true, false, false, false));
        ConfigChange nat = change(cf(), cf("network = nat", "nat_router = 198.51.100.254 eth1:1"), ON_PRIMARY);
        assertThat(nat.addresses()).isTrue();
        assertThat(nat.describe()).isEqualTo("addresses");
        assertThat(change(cf(), cf("monitor_links = 1"), ON_PRIMARY).links()).isTrue();
    }

    @Test
    void droppingTheBackupChangesTheRole() throws Exception {
        PulseConfig lone = read("primary = 203.0.113.1\nbackup = 203.0.113.2\nbackup_active = 0");
        ConfigChange c = change(cf(), lone, ON_PRIMARY);
        assertThat(c.role()).isTrue();
        assertThat(c.describe()).startsWith("role, heartbeat addresses/port");
    }
}
