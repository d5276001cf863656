package piranha.pulse.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfig.HostAddress;

class AddressPlanTest {
    static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    static PulseConfig config(String network, HostAddress nat, Inet4Address natMask, List<HostAddress> vips) throws Exception {
        return new PulseConfig(ip("198.51.100.1"), ip("198.51.100.2"), null, null, true, 539, Duration.ofSeconds(2),
                Duration.ofSeconds(5), network, nat, natMask, vips, null, null, false, false, null, 0, null, null, null, List.of());
    }

    @Test
    void distinctVipsOnceFirstDeviceWinsNatRouterFirst() throws Exception {
        List<HostAddress> vips = List.of(
                new HostAddress("web", ip("198.51.100.100"), "eth0:1", ip("255.255.255.0")),
                new HostAddress("https", ip("198.51.100.100"), "eth0:2", null),
                new HostAddress("ftp", ip("198.51.100.101"), "eth0:3", null));
        HostAddress nat = new HostAddress("nat_router", ip("203.0.113.254"), "eth1:1", null);
        List<Plumbing> plan = AddressPlan.of(config("nat", nat, ip("255.255.255.0"), vips));
        assertThat(plan).containsExactly(
                new Plumbing(ip("203.0.113.254"), 24, "eth1:1", "NAT router"),
                new Plumbing(ip("198.51.100.100"), 24, "eth0:1", "VIP"),
                new Plumbing(ip("198.51.100.101"), 32, "eth0:3", "VIP"));
    }

    @Test
    void natRouterOnlyWithNat() throws Exception {
        HostAddress nat = new HostAddress("nat_router", ip("203.0.113.254"), "eth1:1", null);
        List<HostAddress> vips = List.of(new HostAddress("web", ip("198.51.100.100"), "eth0:1", null));
        assertThat(AddressPlan.of(config("direct", nat, null, vips))).extracting(Plumbing::kind).containsExactly("VIP");
    }

    @Test
    void netmasks() throws Exception {
        assertThat(AddressPlan.prefix(null)).isEqualTo(32);
        assertThat(AddressPlan.prefix(ip("0.0.0.0"))).isEqualTo(32);
        assertThat(AddressPlan.prefix(ip("255.255.255.255"))).isEqualTo(32);
        assertThat(AddressPlan.prefix(ip("255.255.252.0"))).isEqualTo(22);
        assertThat(AddressPlan.prefix(ip("128.0.0.0"))).isEqualTo(1);
        assertThatThrownBy(() -> AddressPlan.prefix(ip("255.0.255.0"))).hasMessageContaining("Bad subnet mask");
    }

    @Test
    void ipCommandsUseLabelsAndNeverTouchTheDevice() throws Exception {
        Plumbing alias = new Plumbing(ip("198.51.100.100"), 24, "eth0:1", "VIP");
        assertThat(AddressActions.addCommand("ip", alias))
                .containsExactly("ip", "addr", "add", "198.51.100.100/24", "brd", "+", "dev", "eth0", "label", "eth0:1");
        assertThat(AddressActions.delCommand("ip", alias))
                .containsExactly("ip", "addr", "del", "198.51.100.100/24", "dev", "eth0");
        Plumbing plain = new Plumbing(ip("198.51.100.100"), 32, "eth0", "VIP");
        assertThat(AddressActions.addCommand("ip", plain))
                .containsExactly("ip", "addr", "add", "198.51.100.100/32", "dev", "eth0");
    }

    @Test
    void ipv6AddressesArePlumbedWithPrefixLengthsWithoutDuplicateAddressDetectionAndDeprecated() throws Exception {
        List<HostAddress> vips = List.of(
                new HostAddress("web6", InetAddress.getByName("2001:db8::10"), "eth0:1", InetAddress.getByName("ffff:ffff:ffff:ffff::")),
                new HostAddress("dns6", InetAddress.getByName("2001:db8::11"), "eth0", null));
        HostAddress nat = new HostAddress("nat_router", InetAddress.getByName("2001:db8:1::1"), "eth1:1", null);
        List<Plumbing> plan = AddressPlan.of(config("nat", nat, null, vips));
        assertThat(plan).containsExactly(
                new Plumbing(InetAddress.getByName("2001:db8:1::1"), 128, "eth1:1", "NAT router"),
                new Plumbing(InetAddress.getByName("2001:db8::10"), 64, "eth0:1", "VIP"),
                new Plumbing(InetAddress.getByName("2001:db8::11"), 128, "eth0", "VIP"));
        assertThat(AddressActions.addCommand("ip", plan.get(1)))
                .containsExactly("ip", "-6", "addr", "add", "2001:db8:0:0:0:0:0:10/64", "dev", "eth0", "label", "eth0:1", "nodad", "preferred_lft", "0");
        assertThat(AddressActions.delCommand("ip", plan.get(1)))
                .containsExactly("ip", "-6", "addr", "del", "2001:db8:0:0:0:0:0:10/64", "dev", "eth0");
        assertThat(AddressActions.addCommand("ip", plan.get(2)))
                .containsExactly("ip", "-6", "addr", "add", "2001:db8:0:0:0:0:0:11/128", "dev", "eth0", "nodad", "preferred_lft", "0");
        assertThat(AddressPlan.prefix(InetAddress.getByName("::"), InetAddress.getByName("2001:db8::10"))).isEqualTo(128);
        assertThatThrownBy(() -> AddressPlan.prefix(InetAddress.getByName("ffff::ffff"), InetAddress.getByName("2001:db8::10")))
                .hasMessageContaining("Bad subnet mask");
    }
}
