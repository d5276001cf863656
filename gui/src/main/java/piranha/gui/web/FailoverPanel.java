package piranha.gui.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * CONTROL/MONITORING's failover panel, from pulse's status: each failover service (service = fos) with
 * this director's role, its health and the last check's words, and each tracked check (track blocks)
 * with its health and last result. Nothing when pulse reports neither.
 */
final class FailoverPanel {
    private FailoverPanel() {}

    static void render(StringBuilder out, JsonObject pulse) {
        JsonArray failover = pulse.getValue("failover") instanceof JsonArray a ? a : new JsonArray();
        JsonArray track = pulse.getValue("track") instanceof JsonArray a ? a : new JsonArray();
        if (failover.isEmpty() && track.isEmpty()) return;
        out.append("<section class=\"failover\">\n<h3>Failover services and tracked checks</h3>\n")
                .append("<table class=\"status\" id=\"failover-status\">\n")
                .append("<thead><tr><th>Name</th><th>Kind</th><th>Here</th><th>Health</th><th>Last check</th></tr></thead>\n<tbody>\n");
        for (Object o : failover) {
            if (o instanceof JsonObject f) row(out, "failover-", f.getValue("name"), "failover service", f.getValue("role"),
                    f.getValue("health"), f.getValue("last"), null);
        }
        for (Object o : track) {
            if (o instanceof JsonObject t) row(out, "track-", t.getValue("name"), "track " + t.getValue("kind") + " "
                    + t.getValue("target"), "checked", t.getValue("health"), t.getValue("last"), t.getValue("lastAgeMs"));
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    private static void row(StringBuilder out, String idPrefix, Object name, String kind, Object here, Object health,
                            Object last, Object ageMs) {
        String h = health == null ? "unknown" : health.toString();
        String css = switch (h) {
            case "up", "passing" -> "up";
            case "down", "failed", "failing" -> "down";
            default -> "unknown";
        };
        String symbol = switch (css) {
            case "up" -> "▲ ";
            case "down" -> "▼ ";
            default -> "? ";
        };
        StatusPanels.text(out.append("<tr id=\"").append(idPrefix), name).append("\"><td>");
        StatusPanels.text(out, name).append("</td><td>");
        StatusPanels.text(out, kind).append("</td><td>");
        StatusPanels.text(out, here).append("</td><td class=\"health ").append(css).append("\">").append(symbol);
        StatusPanels.text(out, h).append("</td><td>");
        StatusPanels.text(out, last);
        if (ageMs instanceof Number n) out.append(String.format(java.util.Locale.ROOT, " (%.1f s ago)", n.doubleValue() / 1000));
        out.append("</td></tr>\n");
    }
}
