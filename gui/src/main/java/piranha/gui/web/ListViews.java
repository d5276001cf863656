package piranha.gui.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.VirtualService;

/** The VIRTUAL SERVERS table as template data. */
public final class ListViews {
    private ListViews() {}

    public static List<Map<String, Object>> virtualRows(LvsConfig config) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (VirtualService v : config.virtuals()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", i++);
            row.put("name", v.name());
            row.put("active", v.active());
            row.put("vip", v.address().map(a -> a.address().getHostAddress()).orElse(""));
            row.put("device", v.address().map(a -> a.device()).orElse(""));
            row.put("netmask", v.vipNmask().map(a -> a.getHostAddress()).orElse(""));
            row.put("port", v.fwmark() != 0 ? "fwmark " + v.fwmark() : Integer.toString(v.port()));
            row.put("protocol", v.protocol().name().toLowerCase(Locale.ROOT));
            row.put("scheduler", v.scheduler().keyword());
            row.put("servers", v.servers().size());
            row.put("activeServers", v.activeServers().size());
            rows.add(row);
        }
        return rows;
    }
}
