package piranha.dataplane;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Address helpers: numeric formatting, parsing without DNS, masking. */
public final class Addresses {
    private Addresses() {}

    /** {@code a.b.c.d:port} or {@code [v6]:port}, never a host name. */
    public static String format(InetAddress a, int port) {
        String host = a.getHostAddress();
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    public static String format(InetSocketAddress a) {
        return format(a.getAddress(), a.getPort());
    }

    /** Parses a numeric IPv4/IPv6 address; never resolves names (no DNS on the data path). */
    public static InetAddress parseAddress(String s) {
        String t = s == null ? "" : s.trim();
        if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
        boolean numeric = t.matches("[0-9.]+") || (t.contains(":") && t.matches("[0-9A-Fa-f:.]+"));
        if (!numeric) throw new IllegalArgumentException("not a numeric IP address: '" + s + "'");
        try {
            return InetAddress.getByName(t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a numeric IP address: '" + s + "'");
        }
    }

    /** Parses {@code ADDRESS:PORT} ({@code [v6]:PORT} for IPv6). */
    public static InetSocketAddress parseSocketAddress(String s) {
        if (s == null) throw new IllegalArgumentException("address:port missing");
        int colon = s.lastIndexOf(':');
        if (colon <= 0) throw new IllegalArgumentException("expected ADDRESS:PORT, got '" + s + "'");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + s + "'");
        }
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range in '" + s + "'");
        return new InetSocketAddress(parseAddress(s.substring(0, colon)), port);
    }

    /**
     * The client address with a persistence netmask applied (IPVS {@code -M}); a mask of another
     * address family, or none, leaves the address as it is.
     */
    public static InetAddress mask(InetAddress a, InetAddress mask) {
        if (mask == null) return a;
        byte[] b = a.getAddress();
        byte[] m = mask.getAddress();
        if (b.length != m.length) return a;
        for (int i = 0; i < b.length; i++) b[i] &= m[i];
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IPVS's address fold: the IPv4 address, or the XOR of an IPv6 address's four words. */
    public static int fold(InetAddress a) {
        byte[] b = a.getAddress();
        int v = 0;
        for (int i = 0; i < b.length; i += 4) {
            v ^= ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
        }
        return v;
    }
}
