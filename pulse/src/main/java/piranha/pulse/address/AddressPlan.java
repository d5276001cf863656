package piranha.pulse.address;

import java.net.Inet4Address;
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
            out.add(new Plumbing(nat.address(), prefix(cfg.natNmask()), nat.device(), "NAT router"));
        }
        // Piranha plumbs each distinct VIP once; the first virtual service naming it decides the device.
        Map<Inet4Address, HostAddress> distinct = new LinkedHashMap<>();
        for (HostAddress vip : cfg.vips()) distinct.putIfAbsent(vip.address(), vip);
        for (HostAddress vip : distinct.values()) {
            if (out.stream().anyMatch(p -> p.address().equals(vip.address()))) continue;
            out.add(new Plumbing(vip.address(), prefix(vip.netmask()), vip.device(), "VIP"));
        }
        return List.copyOf(out);
    }

    /** Prefix length of a dotted netmask; null or 0.0.0.0 means unspecified, plumbed as a host address. */
    public static int prefix(Inet4Address mask) {
        if (mask == null) return 32;
        byte[] b = mask.getAddress();
        int bits = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        if (bits == 0) return 32;
        int prefix = Integer.bitCount(bits);
        if (bits != (int) (0xffffffffL << (32 - prefix))) {
            throw new IllegalArgumentException("Bad subnet mask specified: " + mask.getHostAddress());
        }
        return prefix;
    }
}
