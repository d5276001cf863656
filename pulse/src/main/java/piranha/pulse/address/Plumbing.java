package piranha.pulse.address;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * One floating address as pulse plumbs it.
 *
 * @param address the VIP or NAT router address, IPv4 or IPv6
 * @param prefix  prefix length from vip_nmask / nat_nmask (32, IPv6: 128 when unspecified)
 * @param device  the device as written in lvs.cf, possibly an alias such as eth0:1 (used as the label)
 * @param kind    "VIP" or "NAT router", for log lines
 */
public record Plumbing(InetAddress address, int prefix, String device, String kind) {

    public boolean ipv6() {
        return address instanceof Inet6Address;
    }

    /** eth0 for eth0:1: the device that really carries the address and sends the ARPs. */
    public String baseDevice() {
        int colon = device.indexOf(':');
        return colon < 0 ? device : device.substring(0, colon);
    }

    /** The `ip addr` label, only when lvs.cf names an alias (a label must start with the device name). */
    public String label() {
        return device.indexOf(':') < 0 ? null : device;
    }

    public String cidr() {
        return address.getHostAddress() + "/" + prefix;
    }
}
