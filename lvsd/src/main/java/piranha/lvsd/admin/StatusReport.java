package piranha.lvsd.admin;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The appliance's state as text, in the manner of {@code ipvsadm -L -n}: this director and its
 * partner (from pulse), then each virtual service and its real servers (from lvsd) with health,
 * weight, the last check's result and latency, and connection counters.
 */
public final class StatusReport {
    private StatusReport() {}

    /** @param pulse pulse's status, or an object with "error" when it does not answer */
    public static String render(JsonObject pulse, JsonObject lvsd) {
        StringBuilder sb = new StringBuilder();
        director(sb, pulse);
        table(sb, lvsd);
        return sb.toString();
    }

    private static void director(StringBuilder sb, JsonObject p) {
        if (p.containsKey("error")) {
            sb.append("pulse:    ").append(p.getString("error")).append('\n');
            return;
        }
        if (ActiveActiveReport.applies(p)) {
            ActiveActiveReport.render(sb, p);
            return;
        }
        if (VipGroupReport.applies(p)) {
            VipGroupReport.render(sb, p);
            return;
        }
        sb.append("Director: ").append(p.getString("role", "?")).append(", ").append(p.getString("state", "?"));
        if (p.getString("since") != null) {
            sb.append(" since ").append(when(p.getString("since")));
        }
        JsonArray inhibit = p.getJsonArray("inhibit");
        if (inhibit != null && !inhibit.isEmpty()) {
            sb.append(" (inhibited: ").append(String.join(", ", inhibit.stream().map(Object::toString).toList())).append(')');
        }
        if (p.getValue("pid") != null) {
            sb.append(", pulse pid ").append(p.getValue("pid"));
        }
        if (p.getValue("lvsdRestarts") instanceof Number n && n.longValue() > 0) {
            sb.append(", lvsd restarted ").append(n).append(n.longValue() == 1 ? " time" : " times");
        }
        sb.append('\n');
        String partner = p.getString("partner", "unknown");
        if (partner.equals("none")) {
            // backup_active = 0: no heartbeats are sent or expected
            sb.append("Partner:  none: no partner configured\n");
            return;
        }
        sb.append("Partner:  ").append(partner);
        if (p.getValue("lastHeartbeatAgeMs") instanceof Number n) {
            sb.append(String.format(Locale.ROOT, ", last heartbeat %.1f s ago", n.doubleValue() / 1000));
        } else {
            sb.append(", no heartbeat yet");
        }
        sb.append('\n');
        sb.append("Heartbeats: ").append(p.getValue("sent")).append(" sent, ").append(p.getValue("received"))
                .append(" received, ").append(p.getValue("rejected")).append(" rejected\n");
        config(sb, p);
        JsonArray failover = p.getJsonArray("failover");
        if (failover != null) {
            // service = fos: what this director does with each failover service (runs and checks it,
            // or probes the partner's), its health and the last check's words
            for (Object o : failover) {
                if (!(o instanceof JsonObject f)) continue;
                sb.append("Failover: ").append(f.getString("name")).append(' ').append(f.getString("role"))
                        .append(' ').append(f.getString("health"));
                String last = f.getString("last", "");
                if (!last.isEmpty()) sb.append(": ").append(last);
                sb.append('\n');
            }
        }
        JsonArray track = p.getJsonArray("track");
        if (track != null) {
            // track blocks: the director's own checks; one failing keeps it from being active
            for (Object o : track) {
                if (!(o instanceof JsonObject t)) continue;
                sb.append("Track:    ").append(t.getString("name")).append(" (").append(t.getString("kind")).append(' ')
                        .append(t.getString("target")).append(") ").append(t.getString("health"));
                String last = t.getString("last", "");
                if (!last.isEmpty()) sb.append(": ").append(last);
                if (t.getValue("lastAgeMs") instanceof Number n) {
                    sb.append(String.format(Locale.ROOT, " (%.1f s ago)", n.doubleValue() / 1000));
                }
                sb.append('\n');
            }
        }
    }

    /**
     * "Config:   serial_no 7 (sha256 0a1b2c3d4e5f), partner the same" — or the partner's when the two
     * copies of lvs.cf differ, which signed heartbeats tell (pulse's "config", "partnerConfig").
     */
    static void config(StringBuilder sb, JsonObject p) {
        JsonObject own = p.getJsonObject("config");
        if (own == null) return;
        sb.append("Config:   ").append(stamp(own));
        JsonObject partner = p.getJsonObject("partnerConfig");
        if (partner == null) {
            sb.append(", partner's unknown").append(Boolean.TRUE.equals(p.getBoolean("authenticated"))
                    ? " (no signed heartbeat has named it yet)" : " (unsigned heartbeats do not carry it)");
        } else if (own.getValue("serial").equals(partner.getValue("serial"))
                && own.getString("digest", "").equals(partner.getString("digest"))) {
            sb.append(", partner the same");
        } else {
            sb.append(", partner ").append(stamp(partner)).append(": the copies of lvs.cf DIFFER");
            Object ours = own.getValue("serial");
            Object theirs = partner.getValue("serial");
            if (ours instanceof Number o && theirs instanceof Number t && o.longValue() > t.longValue()) {
                sb.append(" (lvsadm sync sends this one)");
            } else if (ours instanceof Number o && theirs instanceof Number t && o.longValue() < t.longValue()) {
                sb.append(" (the partner's is newer)");
            }
        }
        sb.append('\n');
    }

    private static String stamp(JsonObject s) {
        String digest = s.getString("digest", "");
        return "serial_no " + s.getValue("serial") + " (sha256 " + digest.substring(0, Math.min(12, digest.length())) + ")";
    }

    private static void table(StringBuilder sb, JsonObject l) {
        if (l.containsKey("error")) {
            sb.append("lvsd:     ").append(l.getString("error")).append('\n');
            return;
        }
        sb.append("lvsd:     ").append(l.getBoolean("ready", false) ? "ready" : "starting").append(", backend ")
                .append(l.getString("backend")).append(", ").append(l.getString("config"))
                .append(" (serial_no ").append(l.getValue("serial_no")).append(")\n");
        JsonObject probes = l.getJsonObject("probes");
        if (probes != null && probes.getInteger("nannies", 0) > probes.getInteger("distinct", 0)) {
            sb.append("Probes:   ").append(probes.getInteger("distinct")).append(" for ").append(probes.getInteger("nannies"))
                    .append(" nannies (identical checks run once)\n");
        }
        sb.append("Prot LocalAddress:Port Scheduler Flags\n");
        sb.append("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn Health    Last check\n");
        for (Object o : l.getJsonArray("services", new JsonArray())) {
            JsonObject s = (JsonObject) o;
            String prot = s.getInteger("fwmark", 0) != 0 ? "FWM " + s.getInteger("fwmark")
                    : s.getString("protocol").toUpperCase(Locale.ROOT) + "  " + endpoint(s.getString("address"), s.getInteger("port"));
            sb.append(prot).append(' ').append(s.getString("scheduler"));
            if (s.getInteger("persistent", 0) > 0) {
                sb.append(" persistent ").append(s.getInteger("persistent"));
                if (s.getString("pmask") != null) {
                    sb.append(" mask ").append(s.getString("pmask"));
                }
            }
            sb.append("   (").append(s.getString("name")).append(")\n");
            for (Object r : s.getJsonArray("servers", new JsonArray())) {
                JsonObject rs = (JsonObject) r;
                String health = rs.getString("health");
                String override = rs.getString("override", "auto");
                if (!override.equals("auto")) {
                    health = health + "(" + override + ")";
                }
                String check = lastCheck(rs);
                sb.append(String.format(Locale.ROOT, "  -> %-28s %-7s %-6d %-10d %-9d %-9s %s%n",
                        endpoint(rs.getString("address"), rs.getInteger("port")), forward(l),
                        rs.getInteger("weight"), rs.getLong("active_conns", 0L), rs.getLong("inactive_conns", 0L),
                        health, rs.getBoolean("in_table", false) ? check : check + " [not in table]"));
                JsonObject intent = rs.getJsonObject("intent");
                if (intent != null) {
                    sb.append("       ").append(intent.getString("action")).append(" by ").append(intent.getString("who"))
                            .append(" since ").append(when(intent.getString("when")))
                            .append(intent.getString("reason") == null ? "" : ": " + intent.getString("reason")).append('\n');
                }
            }
            if (s.getBoolean("sorry_active", false)) {
                sb.append("  -> ").append(s.getString("sorry_server")).append(":").append(s.getInteger("port"))
                        .append("   sorry server (no real server is up)\n");
            }
        }
    }

    /**
     * "http 500: reason (1.2 ms) [certificate valid until ...] [probe shared by 2]"; Piranha's check
     * kinds (tcp, udp, send_program) keep the line they always had: "reason (1.2 ms)".
     */
    static String lastCheck(JsonObject rs) {
        String check = rs.getString("reason") == null ? "-" : rs.getString("reason");
        String kind = rs.getString("check");
        boolean piranhas = kind == null || kind.equals("tcp") || kind.equals("udp") || kind.equals("send_program");
        if (!piranhas && rs.getString("reason") != null) {
            Object code = rs.getValue("check_code");
            check = kind + (code == null ? "" : " " + code) + ": " + check;
        }
        Object lat = rs.getValue("latency_ms");
        if (lat instanceof Number n) {
            check = check + String.format(Locale.ROOT, " (%.1f ms)", n.doubleValue());
        }
        if (rs.getString("cert_expires") != null) {
            check = check + " [certificate valid until " + rs.getString("cert_expires") + "]";
        }
        if (rs.getInteger("probe_users", 1) > 1) {
            check = check + " [probe shared by " + rs.getInteger("probe_users") + "]";
        }
        return check;
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    /** An ISO-8601 instant as this host's local time (as the configuration tool shows it). */
    static String when(String iso) {
        try {
            return WHEN.format(Instant.parse(iso));
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String forward(JsonObject l) {
        String n = l.getString("network", "nat");
        return switch (n) {
            case "direct" -> "Route";
            case "tunnel" -> "Tunnel";
            default -> "Masq";
        };
    }

    /** {@code addr:port}, {@code [addr]:port} for IPv6, as ipvsadm -L -n prints it. */
    private static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
