package piranha.gui.web;

import static piranha.gui.web.StatusPanels.text;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * CONTROL/MONITORING for a director of {@code director_mode = active_active} (pulse/README.md): it has
 * no partner and no heartbeat, so in place of the two directors side by side it shows each VIP's
 * route — announced to the router, or withdrawn and why — and BIRD, which carries the routes, with
 * each BGP session, and with {@code director_peers} the other directors and the flow hand-over ring.
 */
final class RoutesPanel {
    private RoutesPanel() {}

    static boolean applies(JsonObject pulse) {
        return "active_active".equals(pulse.getValue("mode"));
    }

    /** The pulse line of the daemon table. */
    static void daemonLine(StringBuilder out, JsonObject pulse) {
        out.append("active-active director, <strong>");
        text(out, pulse.getValue("state")).append("</strong> since ");
        text(out, StatusTimes.when(pulse.getValue("since"))).append(" (pid ");
        text(out, pulse.getValue("pid")).append(")");
        JsonArray routes = pulse.getValue("routes") instanceof JsonArray a ? a : new JsonArray();
        long announced = routes.stream().filter(o -> o instanceof JsonObject r && Boolean.TRUE.equals(r.getValue("announced"))).count();
        out.append("; routes announced: ").append(announced).append(" of ").append(routes.size());
        JsonObject bird = pulse.getValue("bird") instanceof JsonObject b ? b : null;
        out.append("; BIRD ").append(bird != null && "running".equals(bird.getValue("state")) ? "running" : "down");
        if (pulse.getValue("lvsdRestarts") instanceof Number n && n.longValue() > 0) {
            text(out.append("; lvsd restarted "), n).append(n.longValue() == 1 ? " time" : " times");
        }
    }

    static void render(StringBuilder out, JsonObject pulse) {
        out.append("<section class=\"directors-panel\" id=\"directors\">\n<h3>Routes to this director</h3>\n");
        out.append("<table class=\"status\" id=\"routes\">\n<thead><tr><th>VIP</th><th>Virtual services</th><th>Route</th></tr></thead>\n<tbody>\n");
        for (Object o : pulse.getValue("routes") instanceof JsonArray a ? a : new JsonArray()) {
            if (!(o instanceof JsonObject r)) continue;
            boolean up = Boolean.TRUE.equals(r.getValue("announced"));
            text(out.append("<tr id=\"route-"), r.getValue("vip")).append("\"><td>");
            text(out, r.getValue("vip")).append("</td><td>");
            JsonArray services = r.getValue("services") instanceof JsonArray s ? s : new JsonArray();
            for (int i = 0; i < services.size(); i++) text(out.append(i > 0 ? ", " : ""), services.getValue(i));
            out.append("</td><td class=\"health ").append(up ? "up\">▲ announced" : "down\">▼ withdrawn: ");
            if (!up) text(out, r.getValue("reason"));
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        bird(out, pulse.getValue("bird") instanceof JsonObject b ? b : null);
        if (pulse.getValue("peers") instanceof JsonObject p) peers(out, p);
        if (pulse.getValue("linksDown") instanceof JsonArray down && !down.isEmpty()) {
            out.append("<p class=\"warning\">Links down: ");
            for (int i = 0; i < down.size(); i++) text(out.append(i > 0 ? ", " : ""), down.getValue(i));
            out.append(" — every route is withdrawn</p>\n");
        }
        out.append("</section>\n");
    }

    /** director_peers: the other directors as this one hears them, and the flow hand-over ring. */
    private static void peers(StringBuilder out, JsonObject p) {
        out.append("<p id=\"peers\">Other directors: ");
        JsonArray list = p.getValue("directors") instanceof JsonArray a ? a : new JsonArray();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.getValue(i) instanceof JsonObject d)) continue;
            text(out.append(i > 0 ? ", " : ""), d.getValue("address"));
            out.append(Boolean.TRUE.equals(d.getValue("live")) ? " live" : " <strong>not heard</strong>");
        }
        JsonArray ring = p.getValue("ring") instanceof JsonArray a ? a : new JsonArray();
        if (ring.size() < 2) {
            out.append("; no flow hand-over: a connection the router moves here from another director is reset");
        } else {
            out.append("; flow hand-over ring");
            for (Object a : ring) text(out.append(' '), a);
        }
        out.append("</p>\n");
    }

    private static void bird(StringBuilder out, JsonObject b) {
        out.append("<p id=\"bird\">BIRD: ");
        if (b != null && "running".equals(b.getValue("state"))) {
            text(out.append("running (pid "), b.getValue("pid")).append(')');
        } else {
            out.append("<strong>down</strong>: no route leaves this director");
            if (b != null && b.getValue("lastExit") != null) text(out.append(" ("), b.getValue("lastExit")).append(')');
        }
        if (b != null && b.getValue("restarts") instanceof Number n && n.longValue() > 0) {
            text(out.append(", restarted "), n).append(n.longValue() == 1 ? " time" : " times");
        }
        JsonArray sessions = b != null && b.getValue("sessions") instanceof JsonArray a ? a : new JsonArray();
        for (int i = 0; i < sessions.size(); i++) {
            if (!(sessions.getValue(i) instanceof JsonObject s)) continue;
            text(out.append(i == 0 ? "; BGP " : ", "), s.getValue("protocol")).append(' ');
            Object info = s.getValue("info");
            text(out, info == null || info.toString().isEmpty() ? s.getValue("state") : info);
        }
        out.append("</p>\n");
    }
}
