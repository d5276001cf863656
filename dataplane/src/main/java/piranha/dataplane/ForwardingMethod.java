package piranha.dataplane;

import java.util.Locale;

/**
 * IPVS packet-forwarding method of a destination ({@code -m}, {@code -g}, {@code -i}).
 * A user-space forwarder can only proxy, which is what masquerading (NAT) looks like to the
 * client and the real server alike; the other two are accepted and forwarded as NAT.
 */
public enum ForwardingMethod {
    MASQ('m', "Masq"),
    ROUTE('g', "Route"),
    TUNNEL('i', "Tunnel");

    private final char flag;
    private final String ipvsName;

    ForwardingMethod(char flag, String ipvsName) {
        this.flag = flag;
        this.ipvsName = ipvsName;
    }

    /** ipvsadm's option letter without the dash. */
    public char flag() {
        return flag;
    }

    /** The word {@code ipvsadm -L} prints in its Forward column. */
    public String ipvsName() {
        return ipvsName;
    }

    /** Parses lvs.cf's {@code network} value (nat, direct, tunnel) or an ipvsadm flag (m, g, i). */
    public static ForwardingMethod parse(String s) {
        if (s == null) throw new IllegalArgumentException("forwarding method missing");
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "m": case "-m": case "nat": case "masq": return MASQ;
            case "g": case "-g": case "direct": case "route": return ROUTE;
            case "i": case "-i": case "tunnel": case "tun": return TUNNEL;
            default:
                throw new IllegalArgumentException(
                        "unknown forwarding method '" + s + "' (expected nat, direct or tunnel)");
        }
    }
}
