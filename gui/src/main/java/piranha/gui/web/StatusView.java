package piranha.gui.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.gui.status.Processes;

/**
 * The CONTROL/MONITORING panels as template data, from pulse's and lvsd's status replies (shapes
 * of the control protocol). Every value becomes a plain string so a daemon that leaves a field
 * out shows an empty cell rather than breaking the page.
 */
public final class StatusView {
    private StatusView() {}

    public static Map<String, Object> model(JsonObject pulse, JsonObject lvsd, List<Processes.Proc> procs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pulse", pulse(pulse));
        m.put("lvsd", lvsd(lvsd));
        List<Map<String, Object>> ps = new ArrayList<>();
        for (Processes.Proc p : procs) {
            ps.add(Map.of("pid", Long.toString(p.pid()), "command", p.command()));
        }
        m.put("processes", ps);
        return m;
    }

    static Map<String, Object> pulse(JsonObject s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", str(s.getValue("error")));
        m.put("role", str(s.getValue("role")));
        m.put("state", str(s.getValue("state")));
        m.put("since", str(s.getValue("since")));
        m.put("pid", str(s.getValue("pid")));
        // pulse answers "partner" as its state and "lastHeartbeatAgeMs" beside it; the object form
        // of the control protocol is read too.
        Object p = s.getValue("partner");
        JsonObject partner = p instanceof String state ? new JsonObject().put("state", state)
                .put("last_heartbeat_age_ms", s.getValue("lastHeartbeatAgeMs")) : obj(p);
        m.put("partner", str(partner.getValue("state")));
        m.put("heartbeatAge", str(partner.getValue("last_heartbeat_age_ms")));
        JsonObject lvsd = s.getValue("lvsdPid") instanceof Number pid
                ? new JsonObject().put("state", pid.longValue() > 0 ? "running (pid " + pid + ")" : "stopped") : obj(s.getValue("lvsd"));
        m.put("lvsdState", str(lvsd.getValue("state")));
        JsonArray inhibit = s.getValue("inhibit") instanceof JsonArray a ? a : new JsonArray();
        List<String> in = new ArrayList<>();
        inhibit.forEach(x -> in.add(str(x)));
        m.put("inhibit", String.join(", ", in));
        return m;
    }

    static Map<String, Object> lvsd(JsonObject s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", str(s.getValue("error")));
        m.put("pid", str(s.getValue("pid")));
        m.put("ready", str(s.getValue("ready")));
        m.put("backend", str(s.getValue("backend")));
        m.put("serial", str(s.getValue("serial_no")));
        List<Map<String, Object>> services = new ArrayList<>();
        JsonArray svcs = s.getValue("services") instanceof JsonArray a ? a : new JsonArray();
        for (Object o : svcs) {
            JsonObject v = obj(o);
            Map<String, Object> sv = new LinkedHashMap<>();
            sv.put("name", str(v.getValue("name")));
            String ipvs = str(v.getValue("ipvs"));
            sv.put("ipvs", ipvs.isEmpty() ? str(v.getValue("protocol")).toUpperCase(Locale.ROOT) + " "
                    + str(v.getValue("address")) + ":" + str(v.getValue("port")) : ipvs);
            sv.put("scheduler", str(v.getValue("scheduler")));
            Object p = v.getValue("persistent");
            sv.put("persistent", p instanceof Number n && n.longValue() > 0 ? "persistent " + n : "");
            sv.put("sorry", str(v.getValue("sorry_server")));
            sv.put("sorryActive", Boolean.TRUE.equals(v.getValue("sorry_active")));
            List<Map<String, Object>> servers = new ArrayList<>();
            JsonArray rs = v.getValue("servers") instanceof JsonArray a ? a : new JsonArray();
            for (Object ro : rs) {
                JsonObject r = obj(ro);
                Map<String, Object> sm = new LinkedHashMap<>();
                String health = str(r.getValue("health"));
                sm.put("name", str(r.getValue("name")));
                sm.put("endpoint", str(r.getValue("address")) + ":" + str(r.getValue("port")));
                sm.put("health", health.isEmpty() ? "unknown" : health);
                sm.put("healthClass", switch (health) {
                    case "up" -> "up";
                    case "down" -> "down";
                    case "quiesced" -> "quiesced";
                    default -> "unknown";
                });
                sm.put("override", str(r.getValue("override")));
                String weight = str(r.getValue("weight"));
                String configured = str(r.getValue("configured_weight"));
                sm.put("weight", configured.isEmpty() || configured.equals(weight) ? weight : weight + " (of " + configured + ")");
                sm.put("inTable", Boolean.TRUE.equals(r.getValue("in_table")));
                sm.put("lastCheck", str(r.getValue("last_check")));
                sm.put("reason", str(r.getValue("reason")));
                Object lat = r.getValue("latency_ms");
                sm.put("latency", lat instanceof Number n ? Math.round(n.doubleValue() * 10) / 10.0 + " ms" : "");
                sm.put("activeConns", str(r.getValue("active_conns")));
                sm.put("inactiveConns", str(r.getValue("inactive_conns")));
                sm.put("conns", str(r.getValue("conns")));
                sm.put("bytesIn", str(r.getValue("bytes_in")));
                sm.put("bytesOut", str(r.getValue("bytes_out")));
                servers.add(sm);
            }
            sv.put("servers", servers);
            services.add(sv);
        }
        m.put("services", services);
        return m;
    }

    private static JsonObject obj(Object o) {
        return o instanceof JsonObject j ? j : new JsonObject();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
