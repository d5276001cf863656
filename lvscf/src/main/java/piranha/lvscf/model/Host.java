package piranha.lvscf.model;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * A host value: the text as written (a dotted quad, an IPv6 literal or a host name) and the address it
 * resolved to when the file was read, as Piranha resolved names once at parse time.
 */
public record Host(String text, InetAddress address) {

    public String ip() {
        return Values.text(address);
    }

    public boolean isUnspecified() {
        return address.isAnyLocalAddress();
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    @Override
    public String toString() {
        return text;
    }
}
