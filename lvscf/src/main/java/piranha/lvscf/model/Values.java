package piranha.lvscf.model;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.OptionalLong;

/** Reading numbers and addresses the way Piranha's C code did (strtol base 0, inet_aton). */
public final class Values {
    private Values() {}

    /**
     * C {@code strtol(s, &end, 0)} over the whole token: optional sign, {@code 0x} hex, a leading
     * {@code 0} for octal, else decimal. Empty when the token is not entirely such a number.
     */
    public static OptionalLong strtol(String s) {
        int i = 0;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        String digits = s.substring(i);
        int radix = 10;
        if (digits.length() > 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
            radix = 16;
            digits = digits.substring(2);
        } else if (digits.length() > 1 && digits.charAt(0) == '0') {
            radix = 8;
            digits = digits.substring(1);
        }
        if (digits.isEmpty() || digits.length() > 20) {
            return OptionalLong.empty();
        }
        long value = 0;
        for (int k = 0; k < digits.length(); k++) {
            int d = Character.digit(digits.charAt(k), radix);
            if (d < 0) {
                return OptionalLong.empty();
            }
            value = value * radix + d;
            if (value > 0xFFFF_FFFFL * 16) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(negative ? -value : value);
    }

    /** Whether strtol read the token as octal, which surprises anyone who wrote {@code 010}. */
    public static boolean isOctal(String s) {
        String t = s.startsWith("+") || s.startsWith("-") ? s.substring(1) : s;
        return t.length() > 1 && t.charAt(0) == '0' && t.charAt(1) != 'x' && t.charAt(1) != 'X';
    }

    /**
     * C {@code inet_aton}: {@code a.b.c.d}, {@code a.b.c}, {@code a.b} or {@code a}, each part
     * in strtol notation, the last part filling the remaining bytes.
     */
    public static Optional<Inet4Address> inetAton(String s) {
        if (s.isEmpty() || s.endsWith(".") || s.startsWith(".")) {
            return Optional.empty();
        }
        String[] parts = s.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty() || parts[i].charAt(0) == '+' || parts[i].charAt(0) == '-') {
                return Optional.empty();
            }
            OptionalLong p = strtol(parts[i]);
            if (p.isEmpty()) {
                return Optional.empty();
            }
            v[i] = p.getAsLong();
        }
        long addr = 0;
        int last = parts.length - 1;
        for (int i = 0; i < last; i++) {
            if (v[i] > 255) {
                return Optional.empty();
            }
            addr |= v[i] << (24 - 8 * i);
        }
        long lastMax = (1L << (32 - 8 * last)) - 1;
        if (v[last] > lastMax) {
            return Optional.empty();
        }
        addr |= v[last];
        return Optional.of(ipv4(addr));
    }

    public static Inet4Address ipv4(long addr) {
        byte[] b = {(byte) (addr >>> 24), (byte) (addr >>> 16), (byte) (addr >>> 8), (byte) addr};
        try {
            return (Inet4Address) InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    public static long toLong(Inet4Address a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    /** Whether the mask is a run of ones followed by zeros (255.255.255.0 yes, 255.0.255.0 no). */
    public static boolean isContiguousMask(Inet4Address mask) {
        long m = toLong(mask);
        long inverted = ~m & 0xFFFF_FFFFL;
        return (inverted & (inverted + 1)) == 0;
    }

    public static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    /**
     * An IPv6 literal as {@code ip -6 addr} takes it: hex groups and colons, an optional {@code ::}
     * and an optional trailing dotted quad; no zone ({@code %eth0}) and no brackets. Never asks DNS.
     */
    public static Optional<Inet6Address> ipv6(String s) {
        if (s.indexOf(':') < 0 || !s.matches("[0-9A-Fa-f:.]{2,45}")) {
            return Optional.empty();
        }
        // With a colon and no zone or brackets, getByName parses the literal and never resolves.
        try {
            byte[] b = InetAddress.getByName(s).getAddress();
            if (b.length == 4) {
                // Java folds ::ffff:a.b.c.d into an IPv4 address; keep it IPv6 as written.
                byte[] m = new byte[16];
                m[10] = (byte) 0xff;
                m[11] = (byte) 0xff;
                System.arraycopy(b, 0, m, 12, 4);
                b = m;
            }
            return Optional.of(Inet6Address.getByAddress(null, b, -1));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An IPv4 address (inet_aton notation) or an IPv6 literal. */
    public static Optional<InetAddress> ip(String s) {
        if (s.indexOf(':') >= 0) {
            return ipv6(s).map(InetAddress.class::cast);
        }
        return inetAton(s).map(InetAddress.class::cast);
    }

    /** The address as ip(8) prints it: dotted quad, or RFC 5952 compressed lower-case IPv6. */
    public static String text(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    /** {@code addr:port}, or {@code [addr]:port} for IPv6, as ipvsadm writes a service. */
    public static String endpoint(InetAddress a, int port) {
        return a instanceof Inet6Address ? "[" + text(a) + "]:" + port : text(a) + ":" + port;
    }

    /** The address family's bit count: 32 or 128. */
    public static int bits(InetAddress a) {
        return a.getAddress().length * 8;
    }
}
