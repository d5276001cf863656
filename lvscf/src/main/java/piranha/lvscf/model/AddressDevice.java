package piranha.lvscf.model;

import java.net.Inet4Address;

/** {@code IP DEVICE}, as in a virtual's {@code address} or the global {@code nat_router}. */
public record AddressDevice(Inet4Address address, String device) {

    /** The lvs.cf text: {@code 192.168.1.250 eth0:1}. */
    @Override
    public String toString() {
        return address.getHostAddress() + " " + device;
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
