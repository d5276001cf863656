package piranha.lvsd.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The director lines of {@link StatusReport} when lvs.cf has {@code vip_group} blocks: one heartbeat
 * pair per group, so the director's role and state are per group, one line each.
 */
final class VipGroupReport {
    private VipGroupReport() {}

    static boolean applies(JsonObject pulse) {
        return "vip_groups".equals(pulse.getString("mode"));
    }

    static void render(StringBuilder sb, JsonObject p) {
        sb.append("Director: VIP groups, ").append(p.getString("role", "?")).append(" of lvs.cf, ")
                .append(p.getString("state", "?"));
        if (p.getValue("pid") != null) {
            sb.append(", pulse pid ").append(p.getValue("pid"));
        }
        if (p.getValue("lvsdRestarts") instanceof Number n && n.longValue() > 0) {
            sb.append(", lvsd restarted ").append(n).append(n.longValue() == 1 ? " time" : " times");
        }
        sb.append('\n');
        for (Object o : p.getJsonArray("groups", new JsonArray())) {
            if (!(o instanceof JsonObject g)) continue;
            sb.append("Group:    ").append(g.getString("name")).append(' ').append(g.getString("state", "?"))
                    .append(" (").append(g.getString("role", "?")).append(", port ").append(g.getValue("heartbeatPort"))
                    .append("), partner ").append(g.getString("partner", "unknown"));
            if (g.getValue("lastHeartbeatAgeMs") instanceof Number n) {
                sb.append(String.format(Locale.ROOT, " %.1f s ago", n.doubleValue() / 1000));
            }
            JsonArray vips = g.getJsonArray("vips", new JsonArray());
            sb.append(": ").append(vips.isEmpty() ? "no address"
                    : String.join(", ", vips.stream().map(Object::toString).toList()));
            sb.append('\n');
        }
        StatusReport.config(sb, p);
    }
}
