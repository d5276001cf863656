package piranha.lvsd.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The director lines of {@link StatusReport} when pulse runs {@code director_mode = active_active}:
 * no partner and no heartbeat, but each VIP's route (announced, or why withdrawn) and BIRD, which
 * carries the routes to the router.
 */
final class ActiveActiveReport {
    private ActiveActiveReport() {}

    static boolean applies(JsonObject pulse) {
        return "active_active".equals(pulse.getString("mode"));
    }

    static void render(StringBuilder sb, JsonObject p) {
        sb.append("Director: active-active, ").append(p.getString("state", "?"));
        if (p.getString("since") != null) {
            sb.append(" since ").append(StatusReport.when(p.getString("since")));
        }
        if (p.getValue("pid") != null) {
            sb.append(", pulse pid ").append(p.getValue("pid"));
        }
        if (p.getValue("lvsdRestarts") instanceof Number n && n.longValue() > 0) {
            sb.append(", lvsd restarted ").append(n).append(n.longValue() == 1 ? " time" : " times");
        }
        sb.append('\n');
        for (Object o : p.getJsonArray("routes", new JsonArray())) {
            if (!(o instanceof JsonObject r)) continue;
            sb.append("Route:    ").append(r.getString("vip")).append(' ');
            if (Boolean.TRUE.equals(r.getBoolean("announced"))) {
                sb.append("announced");
            } else {
                sb.append("withdrawn: ").append(r.getString("reason", "?"));
            }
            JsonArray services = r.getJsonArray("services", new JsonArray());
            if (!services.isEmpty()) {
                sb.append(" (").append(String.join(", ", services.stream().map(Object::toString).toList())).append(')');
            }
            sb.append('\n');
        }
        bird(sb, p.getJsonObject("bird"));
        peers(sb, p.getJsonObject("peers"));
        JsonArray down = p.getJsonArray("linksDown", new JsonArray());
        if (!down.isEmpty()) {
            sb.append("Links:    down: ").append(String.join(", ", down.stream().map(Object::toString).toList()))
                    .append(" (every route withdrawn)\n");
        }
    }

    /** director_peers: who is heard, and the hand-over ring (a connection moved here is asked of the next). */
    private static void peers(StringBuilder sb, JsonObject peers) {
        if (peers == null) return;
        sb.append("Peers:    ");
        JsonArray list = peers.getJsonArray("directors", new JsonArray());
        for (int i = 0; i < list.size(); i++) {
            JsonObject d = list.getJsonObject(i);
            sb.append(i == 0 ? "" : ", ").append(d.getString("address")).append(' ')
                    .append(Boolean.TRUE.equals(d.getBoolean("live")) ? "live" : "not heard");
        }
        JsonArray ring = peers.getJsonArray("ring", new JsonArray());
        sb.append(ring.size() < 2 ? "; no flow hand-over (no other director live)"
                : "; flow hand-over ring " + String.join(" ", ring.stream().map(Object::toString).toList()));
        sb.append('\n');
    }

    private static void bird(StringBuilder sb, JsonObject b) {
        if (b == null) return;
        sb.append("BIRD:     ");
        if ("running".equals(b.getString("state"))) {
            sb.append("running, pid ").append(b.getValue("pid"));
        } else {
            sb.append("down: no route leaves this director");
            if (b.getString("lastExit") != null) sb.append(" (").append(b.getString("lastExit")).append(')');
        }
        if (b.getValue("restarts") instanceof Number n && n.longValue() > 0) {
            sb.append(", restarted ").append(n).append(n.longValue() == 1 ? " time" : " times");
        }
        JsonArray sessions = b.getJsonArray("sessions", new JsonArray());
        for (int i = 0; i < sessions.size(); i++) {
            JsonObject s = sessions.getJsonObject(i);
            sb.append(i == 0 ? "; BGP " : ", ").append(s.getString("protocol")).append(' ')
                    .append(s.getString("info", "").isEmpty() ? s.getString("state") : s.getString("info"));
        }
        sb.append('\n');
    }
}
