package piranha.pulse.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether this director may draw traffic for each VIP: the pure judgement behind the announce and
 * the withdraw. A VIP is announced while lvsd answers and is ready, no watched link is down, and every
 * virtual service on it has a real server up (or its sorry server in use); anything else withdraws it,
 * and the router sends its flows to the other directors.
 */
public final class RouteHealth {
    private RouteHealth() {}

    /**
     * @param vips        the VIPs and their services
     * @param lvsdStatus  lvsd's status reply; null when lvsd did not answer
     * @param lvsdProblem why lvsd did not answer (used when lvsdStatus is null)
     * @param linksDown   watched devices whose link is down
     * @return for each VIP, in order: null when it is announced, else why it is withdrawn
     */
    public static Map<ActiveActiveConfig.Vip, String> judge(List<ActiveActiveConfig.Vip> vips, JsonObject lvsdStatus,
                                                            String lvsdProblem, Set<String> linksDown) {
        Map<ActiveActiveConfig.Vip, String> out = new LinkedHashMap<>();
        String everyVip = null;
        if (!linksDown.isEmpty()) {
            everyVip = "link " + String.join(", ", linksDown.stream().sorted().toList()) + " down";
        } else if (lvsdStatus == null) {
            everyVip = "lvsd does not answer" + (lvsdProblem == null ? "" : ": " + lvsdProblem);
        } else if (!lvsdStatus.getBoolean("ready", false)) {
            everyVip = "lvsd is not ready";
        }
        for (ActiveActiveConfig.Vip vip : vips) {
            out.put(vip, everyVip != null ? everyVip : serviceProblem(vip, lvsdStatus.getJsonArray("services", new JsonArray())));
        }
        return out;
    }

    /** The first virtual service on the VIP that cannot serve, as a reason; null when all can. */
    private static String serviceProblem(ActiveActiveConfig.Vip vip, JsonArray services) {
        boolean any = false;
        for (Object o : services) {
            JsonObject s = (JsonObject) o;
            if (!vip.text().equals(s.getString("address"))) continue;
            any = true;
            if (Boolean.TRUE.equals(s.getBoolean("sorry_active"))) continue;
            boolean up = false;
            for (Object r : s.getJsonArray("servers", new JsonArray())) {
                JsonObject rs = (JsonObject) r;
                if ("up".equals(rs.getString("health")) && rs.getBoolean("in_table", true)) {
                    up = true;
                    break;
                }
            }
            if (!up) return "virtual " + s.getString("name") + ": no real server up";
        }
        return any ? null : "lvsd has no service on " + vip.text();
    }
}
