package piranha.gui.web;

import java.util.HashMap;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.VirtualService;

/**
 * The "Status" of the VIRTUAL SERVERS and REAL SERVER lists: health as lvsd reports it for what
 * lvs.cf names, never the configuration's own active flag (that is the ACTIVATE/DEACTIVATE button).
 * An entry lvsd does not run (yet: not applied, or lvsd not answering) says so instead of a guess.
 */
final class HealthView {
    /** up, degraded, down, sorry server, inactive, not applied, unknown: the list pages style by these. */
    record Status(String text, String css) {}

    private final Map<String, JsonObject> services = new HashMap<>();
    private final String unavailable;

    private HealthView(JsonObject lvsd) {
        unavailable = lvsd.getValue("error") != null ? "unknown (lvsd: " + lvsd.getValue("error") + ")" : null;
        if (lvsd.getValue("services") instanceof JsonArray a) {
            for (Object o : a) {
                if (o instanceof JsonObject s && s.getValue("name") instanceof String n) {
                    services.put(n, s);
                }
            }
        }
    }

    /** @param lvsdStatus lvsd's reply to status, or {"error":...} */
    static HealthView of(JsonObject lvsdStatus) {
        return new HealthView(lvsdStatus);
    }

    Status service(VirtualService v) {
        if (!v.active()) {
            return new Status("inactive", "inactive");
        }
        if (unavailable != null) {
            return new Status(unavailable, "unknown");
        }
        JsonObject s = services.get(v.name());
        if (s == null) {
            return new Status("not applied", "unknown");
        }
        int up = up(s);
        int all = s.getJsonArray("servers", new JsonArray()).size();
        if (Boolean.TRUE.equals(s.getValue("sorry_active"))) {
            return new Status("down: sorry server in use", "down");
        }
        if (all > 0 && up == all) {
            return new Status("up", "up");
        }
        return up > 0 ? new Status("degraded", "degraded") : new Status("down", "down");
    }

    /** "1 up / 2": real servers up of those lvsd checks; what lvs.cf has active when lvsd runs none. */
    String servers(VirtualService v) {
        JsonObject s = v.active() && unavailable == null ? services.get(v.name()) : null;
        if (s == null) {
            return "- / " + v.activeServers().size();
        }
        return up(s) + " up / " + s.getJsonArray("servers", new JsonArray()).size();
    }

    Status server(VirtualService v, RealServer rs) {
        if (!rs.active() || !v.active()) {
            return new Status("inactive", "inactive");
        }
        if (unavailable != null) {
            return new Status(unavailable, "unknown");
        }
        JsonObject s = services.get(v.name());
        JsonObject r = s == null ? null : find(s, rs);
        if (r == null) {
            return new Status("not applied", "unknown");
        }
        String health = r.getValue("health") instanceof String h ? h : "unknown";
        Object override = r.getValue("override");
        String text = override == null || "auto".equals(override) ? health : health + " (" + override + ")";
        return new Status(text, switch (health) {
            case "up", "down", "quiesced" -> health;
            default -> "unknown";
        });
    }

    /** The same name at the same address: a server renamed or moved and not applied yet is not it. */
    private static JsonObject find(JsonObject service, RealServer rs) {
        for (Object o : service.getJsonArray("servers", new JsonArray())) {
            if (o instanceof JsonObject r && rs.name().equals(r.getValue("name"))
                    && piranha.lvscf.model.Values.text(rs.address().address()).equals(r.getValue("address"))) {
                return r;
            }
        }
        return null;
    }

    private static int up(JsonObject service) {
        int n = 0;
        for (Object o : service.getJsonArray("servers", new JsonArray())) {
            if (o instanceof JsonObject r && "up".equals(r.getValue("health"))) {
                n++;
            }
        }
        return n;
    }
}
