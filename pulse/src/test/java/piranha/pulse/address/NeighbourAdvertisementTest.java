package piranha.pulse.address;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The unsolicited neighbour advertisement pulse sends for an IPv6 VIP, byte by byte (RFC 4861 §4.4, §7.2.6). */
class NeighbourAdvertisementTest {
    static final byte[] MAC = HexFormat.of().parseHex("020000000011");

    private static String hex(byte[] b, int from, int to) {
        return HexFormat.of().formatHex(b, from, to);
    }

    @Test
    void anUnsolicitedOverridingAdvertisementToAllNodes() throws Exception {
        Inet6Address vip = (Inet6Address) InetAddress.getByName("2001:db8::10");
        byte[] f = NeighbourAdvertisement.unsolicited(vip, MAC);
        assertThat(f).hasSize(86);
        // Ethernet: all-nodes multicast MAC, our MAC, IPv6
        assertThat(hex(f, 0, 14)).isEqualTo("333300000001" + "020000000011" + "86dd");
        // IPv6: version 6, payload 32 bytes, next header ICMPv6 (58), hop limit 255, VIP -> ff02::1
        assertThat(hex(f, 14, 54)).isEqualTo("60000000" + "0020" + "3a" + "ff"
                + "20010db8000000000000000000000010" + "ff020000000000000000000000000001");
        // ICMPv6: type 136, code 0, checksum (computed independently over the pseudo-header),
        // flags R=0 S=0 O=1, target = VIP, option 2 (target link-layer address), length 1 (8 bytes), MAC
        assertThat(hex(f, 54, 86)).isEqualTo("88" + "00" + "f8fc" + "20000000"
                + "20010db8000000000000000000000010" + "02" + "01" + "020000000011");
    }

    @Test
    void theChecksumVerifies() throws Exception {
        for (String a : new String[] {"2001:db8::10", "2001:db8:ffff:ffff:ffff:ffff:ffff:fffe", "fd00::1"}) {
            Inet6Address vip = (Inet6Address) InetAddress.getByName(a);
            byte[] f = NeighbourAdvertisement.unsolicited(vip, HexFormat.of().parseHex("fe0102030405"));
            byte[] message = java.util.Arrays.copyOfRange(f, 54, 86);
            byte[] src = java.util.Arrays.copyOfRange(f, 22, 38);
            byte[] dst = java.util.Arrays.copyOfRange(f, 38, 54);
            // a receiver sums everything, checksum included: all ones, whose complement is 0
            assertThat(NeighbourAdvertisement.checksum(src, dst, message)).as(a).isEqualTo((short) 0);
        }
    }
}
