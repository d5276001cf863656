package piranha.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The addresses pulse takes from lvs.cf: prefix-length masks, and IPv6 refused with its key named. */
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
    void anIpv6VipIsRefusedWithItsKeyNamed() {
        assertThatThrownBy(() -> load("primary = 198.51.100.1\nvirtual web6 {\n active = 1\n address = 2001:db8::10 eth0:1\n port = 80\n}\n"))
                .isInstanceOf(PulseConfigSource.ConfigException.class)
                .hasMessageContaining("virtual web6 address 2001:db8::10 is IPv6: pulse takes over IPv4 addresses only");
    }
}
