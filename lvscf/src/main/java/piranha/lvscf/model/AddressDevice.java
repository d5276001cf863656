package piranha.lvscf.model;

import java.net.Inet6Address;
import java.net.InetAddress;

/** {@code IP DEVICE}, as in a virtual's {@code address} or the global {@code nat_router}. */
public record AddressDevice(InetAddress address, String device) {

    /** The lvs.cf text: {@code 192.168.1.250 eth0:1} or {@code 2001:db8::10 eth0:1}. */
    @Override
    public String toString() {
        return Values.text(address) + " " + device;
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    /** The device without its {@code :alias} suffix: the interface that carries the address. */
    public String baseDevice() {
        int colon = device.indexOf(':');
        return colon < 0 ? device : device.substring(0, colon);
    }

    /** Whether the device is an alias ({@code eth0:1}) rather than a base device ({@code eth0}). */
    public boolean isAlias() {
        return device.indexOf(':') > 0;
    }
}
