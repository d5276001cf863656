package piranha.lvscf.model;

import java.net.Inet4Address;
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
}
