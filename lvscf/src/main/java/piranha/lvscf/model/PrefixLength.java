package piranha.lvscf.model;

/**
 * A netmask written as a prefix length ({@code vip_nmask = 64}): the only way to write one for an
 * IPv6 address, and accepted for IPv4 too. Dotted netmasks stay {@link java.net.Inet4Address}.
 */
public record PrefixLength(int bits) {
    @Override
    public String toString() {
        return Integer.toString(bits);
    }
}
