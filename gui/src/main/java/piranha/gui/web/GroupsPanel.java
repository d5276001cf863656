package piranha.gui.web;

import static piranha.gui.web.StatusPanels.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * CONTROL/MONITORING for a director whose lvs.cf has {@code vip_group} blocks (pulse/README.md, "VIP
 * groups"): each group has a heartbeat of its own and its own active director, so in place of one
 * role and state it shows a row per group — this director's state and role for it, its heartbeat
 * port, the partner as that heartbeat hears it, and its VIPs.
 */
final class GroupsPanel {
    private GroupsPanel() {}

    static boolean applies(JsonObject pulse) {
        return "vip_groups".equals(pulse.getValue("mode"));
    }

    private static JsonArray groups(JsonObject pulse) {
        return pulse.getValue("groups") instanceof JsonArray a ? a : new JsonArray();
    }

    /** The pulse line of the daemon table. */
    static void daemonLine(StringBuilder out, JsonObject pulse) {
        out.append("VIP groups, ");
        text(out, pulse.getValue("role")).append(" of lvs.cf, <strong>");
        text(out, pulse.getValue("state")).append("</strong> (pid ");
        text(out, pulse.getValue("pid")).append(")");
        JsonArray groups = groups(pulse);
        long active = groups.stream().filter(o -> o instanceof JsonObject g && "active".equals(g.getValue("state"))).count();
        out.append("; active for ").append(active).append(" of ").append(groups.size()).append(groups.size() == 1 ? " group" : " groups");
        if (pulse.getValue("lvsdRestarts") instanceof Number n && n.longValue() > 0) {
            text(out.append("; lvsd restarted "), n).append(n.longValue() == 1 ? " time" : " times");
        }
    }

    static void render(StringBuilder out, JsonObject pulse) {
        out.append("<section class=\"directors-panel\" id=\"directors\">\n<h3>VIP groups on this director</h3>\n");
        out.append("<table class=\"status\" id=\"groups\">\n<thead><tr><th>Group</th><th>This director</th><th>Heartbeat port</th>"
                + "<th>Partner</th><th>VIPs</th></tr></thead>\n<tbody>\n");
        for (Object o : groups(pulse)) {
            if (!(o instanceof JsonObject g)) continue;
            boolean active = "active".equals(g.getValue("state"));
            text(out.append("<tr id=\"group-"), g.getValue("name")).append("\"><td>");
            text(out, g.getValue("name")).append("</td><td class=\"health ").append(active ? "up\">▲ " : "down\">▽ ");
            text(out, g.getValue("state")).append(" (");
            text(out, g.getValue("role")).append(")</td><td>");
            text(out, g.getValue("heartbeatPort")).append("</td><td>");
            text(out, g.getValue("partner"));
            if (g.getValue("lastHeartbeatAgeMs") instanceof Number age) text(out.append(", last heartbeat "), age).append(" ms ago");
            out.append("</td><td>");
            JsonArray vips = g.getValue("vips") instanceof JsonArray a ? a : new JsonArray();
            for (int i = 0; i < vips.size(); i++) text(out.append(i > 0 ? ", " : ""), vips.getValue(i));
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }
}
