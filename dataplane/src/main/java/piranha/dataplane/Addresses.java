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
        String host = text(a);
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + port;
    }

    /** The bare address as ipvsadm and ip(8) print it: dotted quad, or RFC 5952 compressed IPv6. */
    public static String text(InetAddress a) {
        return a instanceof Inet6Address ? io.netty.util.NetUtil.toAddressString(a) : a.getHostAddress();
    }

    /** The number of one bits of a netmask: {@code ipvsadm -M} takes an IPv6 mask as this prefix length. */
    public static int prefixLength(InetAddress mask) {
        int n = 0;
        for (byte b : mask.getAddress()) {
            n += Integer.bitCount(b & 0xff);
        }
        return n;
    }

    /** The netmask of {@code bits} one bits for an address of {@code length} bytes (4 or 16). */
    public static InetAddress netmask(int bits, int length) {
        if (bits < 0 || bits > length * 8) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range 0-" + length * 8);
        }
        byte[] m = new byte[length];
        for (int i = 0; i < bits; i++) {
            m[i / 8] |= (byte) (0x80 >>> (i % 8));
        }
        try {
            return InetAddress.getByAddress(m);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
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
