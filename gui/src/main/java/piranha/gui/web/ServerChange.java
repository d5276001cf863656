package piranha.gui.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What an operator action (drain, force down, force up, auto) changed on one real server, from
 * lvsd's status entries of it before and after: its override, weight in the table, whether it is in
 * the table, and its health, each as "field: before → after".
 */
final class ServerChange {
    private static final String[][] FIELDS = {{"override", "override"}, {"weight", "weight in the table"},
        {"in_table", "in the table"}, {"health", "health"}};

    private ServerChange() {}

    /** The status entry of real server {@code server} (IP:PORT) of {@code service} (name or ipvsadm form), or null. */
    static JsonObject entry(JsonObject lvsd, String service, String server) {
        if (!(lvsd.getValue("services") instanceof JsonArray services)) {
            return null;
        }
        for (Object so : services) {
            if (so instanceof JsonObject s && (service.equals(s.getValue("name")) || service.equals(s.getValue("ipvs")))
                    && s.getValue("servers") instanceof JsonArray servers) {
                for (Object ro : servers) {
                    if (ro instanceof JsonObject r && server.equals(r.getValue("address") + ":" + r.getValue("port"))) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    static List<String> describe(JsonObject before, JsonObject after) {
        List<String> out = new ArrayList<>();
        if (before == null || after == null) {
            return out;
        }
        for (String[] f : FIELDS) {
            Object was = before.getValue(f[0]);
            Object now = after.getValue(f[0]);
            if (!Objects.equals(was, now)) {
                out.add(f[1] + ": " + word(was) + " \u2192 " + word(now));
            }
        }
        return out;
    }

    private static String word(Object v) {
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        return v == null ? "unknown" : v.toString();
    }
}
