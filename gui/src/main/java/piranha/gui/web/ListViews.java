package piranha.gui.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.VirtualService;

/** The VIRTUAL SERVERS table as template data: lvs.cf's services with the health lvsd reports. */
public final class ListViews {
    private ListViews() {}

    /** @param lvsdStatus lvsd's status (or {"error":...}): the health the Status column shows */
    public static List<Map<String, Object>> virtualRows(LvsConfig config, io.vertx.core.json.JsonObject lvsdStatus) {
        HealthView health = HealthView.of(lvsdStatus);
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (VirtualService v : config.virtuals()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", i++);
            row.put("name", v.name());
            row.put("active", v.active());
            row.put("vip", v.address().map(a -> piranha.lvscf.model.Values.text(a.address())).orElse(""));
            row.put("device", v.address().map(a -> a.device()).orElse(""));
            // unset, pulse adds the VIP as a /32
            boolean v6 = v.address().map(a -> a.isIpv6()).orElse(false);
            row.put("netmask", v.vipNmask().map(a -> a.getHostAddress())
                    .orElse(v.vipPrefix().isPresent() ? "/" + v.vipPrefix().getAsInt() : v6 ? "/128 (default)" : "255.255.255.255 (default)"));
            row.put("port", v.fwmark() != 0 ? "fwmark " + v.fwmark() : Integer.toString(v.port()));
            row.put("protocol", v.protocol().name().toLowerCase(Locale.ROOT));
            row.put("scheduler", v.scheduler().keyword());
            HealthView.Status status = health.service(v);
            row.put("health", status.text());
            row.put("healthClass", status.css());
            row.put("servers", health.servers(v));
            rows.add(row);
        }
        return rows;
    }

    /**
     * The FAILOVER table: lvs.cf's failover blocks with what pulse's status says of each (its
     * {@code failover} array: this director's role, the service's health and the last check).
     */
    public static List<Map<String, Object>> failoverRows(LvsConfig config, io.vertx.core.json.JsonObject pulseStatus) {
        Map<String, io.vertx.core.json.JsonObject> byName = new java.util.HashMap<>();
        Object list = pulseStatus == null ? null : pulseStatus.getValue("failover");
        if (list instanceof io.vertx.core.json.JsonArray a) {
            for (Object o : a) {
                if (o instanceof io.vertx.core.json.JsonObject f && f.getValue("name") instanceof String n) byName.put(n, f);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (VirtualService f : config.failovers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", i++);
            row.put("name", f.name());
            row.put("active", f.active());
            row.put("vip", f.address().map(a -> piranha.lvscf.model.Values.text(a.address())).orElse(""));
            row.put("device", f.address().map(a -> a.device()).orElse(""));
            row.put("port", Integer.toString(f.port()));
            row.put("protocol", f.protocol().name().toLowerCase(Locale.ROOT));
            Object start = f.value("start_cmd");
            row.put("startCmd", start == null ? "" : start.toString());
            io.vertx.core.json.JsonObject st = byName.get(f.name());
            String health = st == null ? (f.active() ? "unknown" : "inactive") : String.valueOf(st.getValue("health"));
            row.put("health", health);
            row.put("healthClass", switch (health) {
                case "up" -> "up";
                case "down", "failed" -> "down";
                case "inactive" -> "inactive";
                default -> "unknown";
            });
            row.put("role", st == null ? "" : String.valueOf(st.getValue("role")));
            row.put("last", st == null || st.getValue("last") == null ? "" : String.valueOf(st.getValue("last")));
            rows.add(row);
        }
        return rows;
    }
}
