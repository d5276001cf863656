package piranha.pulse.config;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only reader of the lvs.cf keys pulse needs (the project's lvs.cf parser replaces it): top-level
 * `key = value` lines and `virtual NAME { ... }` blocks (server blocks skipped).
 */
public final class TestLvsCf implements PulseConfigSource {

    @Override
    public PulseConfig load(Path file) throws ConfigException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
        Map<String, String> g = new HashMap<>();
        List<PulseConfig.HostAddress> vips = new ArrayList<>();
        Map<String, String> v = null;
        String vname = null;
        int depth = 0;
        int n = 0;
        try {
            for (String raw : lines) {
                n++;
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("virtual ") && line.endsWith("{")) {
                    v = new HashMap<>();
                    vname = line.split("\\s+")[1];
                    depth = 1;
                    continue;
                }
                if (line.startsWith("server ") && line.endsWith("{")) {
                    depth++;
                    continue;
                }
                if (line.equals("}")) {
                    depth--;
                    if (depth == 0 && v != null) {
                        if ("1".equals(v.get("active"))) {
                            String[] addr = v.get("address").split("\\s+");
                            vips.add(new PulseConfig.HostAddress(vname, ip(addr[0]), addr[1], ip(v.get("vip_nmask"))));
                        }
                        v = null;
                    }
                    continue;
                }
                int eq = line.indexOf(" = ");
                if (eq < 0) throw new ConfigException("error parsing " + file + " at line " + n + ": equal (=) expected");
                String key = line.substring(0, eq).strip();
                String value = line.substring(eq + 3).strip();
                if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (depth == 1 && v != null) v.put(key, value);
                else if (depth == 0) g.put(key, value);
            }
            PulseConfig.HostAddress nat = null;
            if (g.containsKey("nat_router")) {
                String[] a = g.get("nat_router").split("\\s+");
                nat = new PulseConfig.HostAddress("nat_router", ip(a[0]), a[1], null);
            }
            PulseConfig.Extensions ext = new PulseConfig.Extensions(
                    g.containsKey("heartbeat_key_file") ? Path.of(g.get("heartbeat_key_file")) : null,
                    dur(g, "giveback_delay", null), Integer.parseInt(g.getOrDefault("garp_count", "5")),
                    dur(g, "garp_interval", "1"), dur(g, "hook_timeout", "30"), dur(g, "lvsd_ready_timeout", "10"),
                    "1".equals(g.get("lvsd_warm_standby")));
            return new PulseConfig(ip(g.get("primary")), ip(g.get("backup")), ip(g.get("primary_private")),
                    ip(g.get("backup_private")), "1".equals(g.get("backup_active")),
                    Integer.parseInt(g.getOrDefault("heartbeat_port", "539")), dur(g, "keepalive", "2"),
                    dur(g, "deadtime", "5"), g.get("network"), nat, ip(g.get("nat_nmask")), vips,
                    g.get("active_cmd"), g.get("inactive_cmd"), !"0".equals(g.getOrDefault("monitor_links", "0")),
                    "1".equals(g.get("syncdaemon")), g.get("syncd_iface"),
                    Integer.parseInt(g.getOrDefault("syncd_id", "0")), g.get("ipvsadm"), g.get("backend"), ext);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException | NullPointerException e) {
            throw new ConfigException("error parsing " + file + ": " + e.getMessage());
        }
    }

    private static Duration dur(Map<String, String> g, String key, String dflt) {
        String s = g.getOrDefault(key, dflt);
        return s == null ? null : Durations.parseSeconds(s);
    }

    private static Inet4Address ip(String s) {
        if (s == null || s.equals("0.0.0.0")) return null;
        try {
            return (Inet4Address) InetAddress.getByName(s);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("invalid host name or ip address: " + s);
        }
    }
}
