package piranha.pulse.routing;

import java.net.Inet4Address;
import java.util.Collection;

/**
 * The BIRD 2 configuration of an active-active director: one static /32 route per announced VIP
 * (a blackhole inside BIRD only: no kernel protocol, the director's own routing is not touched),
 * exported to each neighbour with this director as next hop. A withdrawn VIP is simply absent: on
 * {@code birdc configure} BIRD sends the withdraw at once. Hold and keepalive times are short, and the
 * session comes back fast after a restart (connect delay 1 s), so that a director that dies or
 * returns moves traffic within seconds.
 */
public final class BirdConfig {
    /** The static protocol holding the VIP routes; only its routes go out. */
    static final String VIPS = "piranha_vips";

    private BirdConfig() {}

    public static String render(ActiveActiveConfig cfg, Collection<Inet4Address> announced) {
        StringBuilder b = new StringBuilder();
        b.append("# Written by pulse (director_mode = active_active) from lvs.cf: do not edit, it is rewritten.\n");
        if (cfg.routerId() != null) b.append("router id ").append(cfg.routerId().getHostAddress()).append(";\n");
        b.append("protocol device {}\n\n");
        b.append("# the VIPs this director is healthy for; a withdrawn VIP is left out\n");
        b.append("protocol static ").append(VIPS).append(" {\n    ipv4;\n");
        for (Inet4Address vip : announced) {
            b.append("    route ").append(vip.getHostAddress()).append("/32 blackhole;\n");
        }
        b.append("}\n");
        int keepalive = Math.max(1, cfg.holdTime() / 3);
        int n = 0;
        for (Inet4Address neighbor : cfg.neighbors()) {
            n++;
            b.append("\nprotocol bgp piranha_").append(n).append(" {\n");
            b.append("    local as ").append(cfg.localAs()).append(";\n");
            b.append("    neighbor ").append(neighbor.getHostAddress()).append(" as ").append(cfg.peerAs()).append(";\n");
            b.append("    hold time ").append(cfg.holdTime()).append(";\n");
            b.append("    keepalive time ").append(keepalive).append(";\n");
            b.append("    connect delay time 1;\n    connect retry time 2;\n    error wait time 1, 8;\n");
            b.append("    ipv4 {\n        import none;\n");
            b.append("        export where proto = \"").append(VIPS).append("\";\n");
            b.append("        next hop self;\n    };\n}\n");
        }
        return b.toString();
    }
}
