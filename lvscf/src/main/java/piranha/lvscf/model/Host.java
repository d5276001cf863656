package piranha.lvscf.model;

import java.net.Inet4Address;

/**
 * A host value: the text as written (a dotted quad or a host name) and the IPv4 address it
 * resolved to when the file was read, as Piranha resolved names once at parse time.
 */
public record Host(String text, Inet4Address address) {

    public String ip() {
        return address.getHostAddress();
    }

    public boolean isUnspecified() {
        return address.isAnyLocalAddress();
    }

    @Override
    public String toString() {
        return text;
    }
}
