package piranha.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The addresses pulse takes from lvs.cf: prefix-length masks, IPv4 and IPv6. */
class LvsCfSourceAddressTest {
    @TempDir
    Path dir;

    private PulseConfig load(String text) throws Exception {
        Path f = dir.resolve("lvs.cf");
        Files.writeString(f, text);
        return new LvsCfSource().load(f);
    }

    @Test
    void aPrefixLengthVipMaskIsTheSameNetmaskAsTheDottedOne() throws Exception {
        String cf = "primary = 198.51.100.1\nvirtual web {\n active = 1\n address = 203.0.113.100 eth0:1\n vip_nmask = %s\n port = 80\n}\n";
        PulseConfig prefix = load(cf.formatted("24"));
        PulseConfig dotted = load(cf.formatted("255.255.255.0"));
        assertThat(prefix.vips().get(0).netmask().getHostAddress()).isEqualTo("255.255.255.0");
        assertThat(prefix.vips()).isEqualTo(dotted.vips());
    }

    @Test
    void ipv6DirectorsVipsAndNatRouterAreTakenWithTheirPrefixLengths() throws Exception {
        PulseConfig c = load("primary = 2001:db8::1\nbackup = 2001:db8::2\nbackup_active = 1\nprimary_private = fd00::1\n"
                + "backup_private = fd00::2\nnetwork = nat\nnat_router = 2001:db8:1::1 eth1:1\nnat_nmask = 64\n"
                + "virtual web6 {\n active = 1\n address = 2001:db8::10 eth0:1\n vip_nmask = 64\n port = 80\n"
                + " server a {\n  address = 2001:db8:1::20\n  active = 1\n }\n}\n");
        assertThat(c.primary().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(c.backupPrivate().getHostAddress()).isEqualTo("fd00:0:0:0:0:0:0:2");
        assertThat(c.vips().get(0).address().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:10");
        assertThat(c.vips().get(0).netmask().getHostAddress()).isEqualTo("ffff:ffff:ffff:ffff:0:0:0:0");
        assertThat(c.natRouter().address().getHostAddress()).isEqualTo("2001:db8:1:0:0:0:0:1");
        assertThat(c.natNmask().getHostAddress()).isEqualTo("ffff:ffff:ffff:ffff:0:0:0:0");
        assertThat(piranha.pulse.address.AddressPlan.of(c)).extracting(piranha.pulse.address.Plumbing::prefix).containsExactly(64, 64);
    }
}
