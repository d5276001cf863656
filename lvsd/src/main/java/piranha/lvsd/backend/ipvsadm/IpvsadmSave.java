package piranha.lvsd.backend.ipvsadm;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;

import piranha.dataplane.Addresses;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.ServiceSpec;
import piranha.dataplane.scheduler.Schedulers;
import piranha.lvsd.table.Table;

/**
 * Reads what ipvsadm prints: the rules of {@code ipvsadm -S -n} (one {@code -A}/{@code -a}
 * command a line) into a table, and the counters of {@code ipvsadm -L -n}.
 */
public final class IpvsadmSave {
    private static final String NO_MASK = "255.255.255.255";
    /** What a bare {@code -p} means to ipvsadm 1.31 and the kernel: 360 s (not the 300 of old man pages). */
    static final int DEFAULT_PERSISTENCE = 360;

    private IpvsadmSave() {}

    public static Table parse(String save) {
        Table.Builder b = new Table.Builder();
        for (String raw : save.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("\\s+");
            ServiceKey key = null;
            String sched = "wlc";
            String schedFlags = "";
            int persistent = 0;
            InetAddress mask = null;
            int v6Prefix = -1;
            String rip = null;
            ForwardingMethod method = ForwardingMethod.ROUTE;
            int weight = 1;
            for (int i = 1; i < w.length; i++) {
                String o = w[i];
                String next = i + 1 < w.length ? w[i + 1] : "";
                switch (o) {
                    case "-t", "--tcp-service" -> { key = hostPort(Protocol.TCP, next); i++; }
                    case "-u", "--udp-service" -> { key = hostPort(Protocol.UDP, next); i++; }
                    case "-f", "--fwmark-service" -> { key = ServiceKey.fwmark(Integer.parseInt(next)); i++; }
                    case "-s", "--scheduler" -> { sched = scheduler(next); i++; }
                    case "-b", "--sched-flags" -> { schedFlags = next; i++; }
                    case "-p", "--persistent" -> {
                        if (next.matches("\\d+")) {
                            persistent = Integer.parseInt(next);
                            i++;
                        } else {
                            persistent = DEFAULT_PERSISTENCE;
                        }
                    }
                    case "-M", "--netmask" -> {
                        // an IPv6 service's mask is saved as a prefix length, 128 meaning none
                        if (next.matches("\\d{1,3}")) {
                            v6Prefix = Integer.parseInt(next);
                        } else {
                            mask = next.equals(NO_MASK) ? null : Addresses.parseAddress(next);
                        }
                        i++;
                    }
                    case "-r", "--real-server" -> { rip = next; i++; }
                    case "-m", "--masquerading" -> method = ForwardingMethod.MASQ;
                    case "-g", "--gatewaying" -> method = ForwardingMethod.ROUTE;
                    case "-i", "--ipip" -> method = ForwardingMethod.TUNNEL;
                    case "-w", "--weight" -> { weight = Integer.parseInt(next); i++; }
                    default -> {
                        if (o.startsWith("-") && !next.startsWith("-") && takesValue(o)) {
                            i++;
                        }
                    }
                }
            }
            if (key == null) {
                continue;
            }
            if (w[0].equals("-A")) {
                if (mask == null && v6Prefix >= 0 && v6Prefix < 128 && !key.isFwmark()) {
                    mask = Addresses.netmask(v6Prefix, key.vip().getAddress().length);
                }
                b.service(new ServiceSpec(key, sched, persistent, persistent > 0 ? mask : null, key.fwmark(),
                        schedulerFlags(sched, schedFlags)));
            } else if (w[0].equals("-a") && rip != null && b.has(key)) {
                b.destination(key, new DestinationSpec(endpoint(rip), weight, method, false));
            }
        }
        return b.build();
    }

    /** Options of newer ipvsadm versions this reader skips, with their argument. */
    private static boolean takesValue(String o) {
        return o.equals("-b") || o.equals("--sched-flags") || o.equals("-x") || o.equals("-y")
                || o.equals("--pe") || o.equals("--tun-type") || o.equals("--tun-port");
    }

    private static ServiceKey hostPort(Protocol p, String s) {
        InetSocketAddress a = endpoint(s);
        return new ServiceKey(p, a.getAddress(), a.getPort());
    }

    /** {@code IP:PORT} as ipvsadm prints it (port 0: a firewall-mark service's real server). */
    private static InetSocketAddress endpoint(String s) {
        int colon = s.lastIndexOf(':');
        return new InetSocketAddress(Addresses.parseAddress(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1)));
    }

    /**
     * The {@code -b} flags of our vocabulary: ipvsadm prints mh's as {@code mh-fallback,mh-port}
     * (older versions {@code flag-1,flag-2}); flags of other schedulers are not ours to keep.
     */
    private static java.util.Set<String> schedulerFlags(String sched, String list) {
        java.util.Set<String> flags = new java.util.TreeSet<>();
        if (!sched.equals("mh")) return flags;
        for (String f : list.split(",")) {
            switch (f.strip()) {
                case "mh-fallback", "flag-1" -> flags.add("mh-fallback");
                case "mh-port", "flag-2" -> flags.add("mh-port");
                default -> { }
            }
        }
        return flags;
    }

    private static String scheduler(String s) {
        String name = s.toLowerCase(Locale.ROOT);
        // a scheduler lvs.cf cannot name differs from ours by definition
        return Schedulers.NAMES.contains(name) ? name : "wlc";
    }

    /**
     * Active and inactive connection counts from {@code ipvsadm -L -n}, by service and endpoint.
     */
    public static Map<ServiceKey, Map<String, DestinationStats>> connections(String list) {
        Map<ServiceKey, Map<String, DestinationStats>> out = new java.util.LinkedHashMap<>();
        ServiceKey current = null;
        for (String raw : list.split("\n")) {
            String[] w = raw.strip().split("\\s+");
            if (w.length >= 2 && (w[0].equals("TCP") || w[0].equals("UDP"))) {
                current = hostPort(w[0].equals("TCP") ? Protocol.TCP : Protocol.UDP, w[1]);
                out.put(current, new java.util.LinkedHashMap<>());
            } else if (w.length >= 2 && w[0].equals("FWM")) {
                current = ServiceKey.fwmark(Integer.parseInt(w[1]));
                out.put(current, new java.util.LinkedHashMap<>());
            } else if (current != null && w.length >= 6 && w[0].equals("->") && w[1].matches("([0-9.]+|\\[[0-9A-Fa-f:.]+\\]):\\d+")) {
                InetSocketAddress rip = endpoint(w[1]);
                out.get(current).put(Addresses.format(rip), new DestinationStats(rip, forwarding(w[2]), Integer.parseInt(w[3]), false,
                        Integer.parseInt(w[4]), Integer.parseInt(w[5]), 0, 0, 0, 0, 0));
            }
        }
        return out;
    }

    /** The Forward column of {@code ipvsadm -L -n}. */
    private static ForwardingMethod forwarding(String column) {
        return switch (column) {
            case "Masq" -> ForwardingMethod.MASQ;
            case "Tunnel" -> ForwardingMethod.TUNNEL;
            default -> ForwardingMethod.ROUTE;
        };
    }
}
