package piranha.pulse.address;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfig.HostAddress;

/** Which addresses the active director owns: the NAT router (nat only) and each distinct VIP. */
public final class AddressPlan {
    private AddressPlan() {}

    public static List<Plumbing> of(PulseConfig cfg) {
        List<Plumbing> out = new ArrayList<>();
        if ("nat".equals(cfg.network()) && cfg.natRouter() != null) {
            HostAddress nat = cfg.natRouter();
            out.add(new Plumbing(nat.address(), prefix(cfg.natNmask(), nat.address()), nat.device(), "NAT router"));
        }
        // Piranha plumbs each distinct VIP once; the first virtual service naming it decides the device.
        Map<InetAddress, HostAddress> distinct = new LinkedHashMap<>();
        for (HostAddress vip : cfg.vips()) distinct.putIfAbsent(vip.address(), vip);
        for (HostAddress vip : distinct.values()) {
            if (out.stream().anyMatch(p -> p.address().equals(vip.address()))) continue;
            out.add(new Plumbing(vip.address(), prefix(vip.netmask(), vip.address()), vip.device(), "VIP"));
        }
        return List.copyOf(out);
    }

    /** Prefix length of a dotted netmask; null or 0.0.0.0 means unspecified, plumbed as a host address. */
    public static int prefix(java.net.Inet4Address mask) {
        return mask == null ? 32 : prefix(mask, mask);
    }

    /**
     * Prefix length of the netmask of {@code address}: null or all zeros means unspecified, plumbed as
     * a host address (/32, IPv6 /128).
     */
    public static int prefix(InetAddress mask, InetAddress address) {
        int hostBits = address.getAddress().length * 8;
        if (mask == null) return hostBits;
        byte[] b = mask.getAddress();
        int prefix = 0;
        boolean zeros = false;
        boolean contiguous = true;
        for (byte x : b) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = (x >> bit & 1) == 1;
                if (one && zeros) contiguous = false;
                if (one) prefix++;
                else zeros = true;
            }
        }
        if (prefix == 0) return hostBits;
        if (!contiguous || b.length * 8 != hostBits) {
            throw new IllegalArgumentException("Bad subnet mask specified: " + mask.getHostAddress());
        }
        return prefix;
    }
}
