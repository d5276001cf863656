package piranha.lvscf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import piranha.lvscf.keys.Effect;
import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.Section;
import piranha.lvscf.model.VirtualService;

/**
 * The configuration in effect, after defaults and implicit rules, as plain maps and lists ready
 * for JSON ({@code lvsd --check --dump}): lvs.cf key names as keys, numbers as numbers, booleans
 * as booleans, addresses and strings as strings. Keys without a value and without a default are
 * left out; ignored and legacy keys appear only when the file sets them.
 */
public final class EffectiveConfig {
    private EffectiveConfig() {}

    public static Map<String, Object> of(LvsConfig config) {
        Globals g = config.globals();
        Map<String, Object> derived = values(g, Scope.GLOBAL);
        // Piranha's implicit rules, shown where the key would stand.
        g.primaryPrivate().ifPresent(h -> derived.put("primary_private", h.ip()));
        g.backupPrivate().ifPresent(h -> derived.put("backup_private", h.ip()));
        derived.put("syncd_id", g.syncdId());
        if (g.backup().isEmpty()) {
            derived.remove("backup");
        }
        if (g.natPrefix().isEmpty()) {
            derived.remove("nat_nmask");
        }
        Map<String, Object> top = new LinkedHashMap<>();
        for (Key k : Keys.all(Scope.GLOBAL)) {
            if (derived.containsKey(k.name())) {
                top.put(k.name(), derived.get(k.name()));
            }
        }
        List<Object> virtuals = new ArrayList<>();
        for (VirtualService v : config.virtuals()) {
            virtuals.add(service(v));
        }
        top.put("virtual", virtuals);
        List<Object> failovers = new ArrayList<>();
        for (VirtualService f : config.failovers()) {
            failovers.add(service(f));
        }
        top.put("failover", failovers);
        if (!config.tracks().isEmpty()) {
            List<Object> tracks = new ArrayList<>();
            for (piranha.lvscf.model.Track t : config.tracks()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", t.name());
                m.putAll(values(t, Scope.TRACK));
                m.put("timeout", t.timeout());
                tracks.add(m);
            }
            top.put("track", tracks);
        }
        if (!config.vipGroups().isEmpty()) {
            List<Object> groups = new ArrayList<>();
            for (piranha.lvscf.model.VipGroup vg : config.vipGroups()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", vg.name());
                m.putAll(values(vg, Scope.VIP_GROUP));
                groups.add(m);
            }
            top.put("vip_group", groups);
        }
        return top;
    }

    private static Map<String, Object> service(VirtualService v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.putAll(values(v, Scope.VIRTUAL));
        if (v.pmask().isEmpty() && v.pmaskPrefix().isEmpty()) {
            m.remove("pmask");
        }
        v.vipPrefix().ifPresentOrElse(x -> { }, () -> m.remove("vip_nmask"));
        v.sorryServer().ifPresentOrElse(x -> { }, () -> m.remove("sorry_server"));
        List<Object> servers = new ArrayList<>();
        for (RealServer s : v.servers()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("name", s.name());
            sm.putAll(values(s, Scope.SERVER));
            servers.add(sm);
        }
        m.put("server", servers);
        return m;
    }

    private static Map<String, Object> values(Section section, Scope scope) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Key k : Keys.all(scope)) {
            boolean effective = k.effect() == Effect.USED || k.effect() == Effect.EXTENSION;
            Object v = effective ? section.value(k.name()) : section.explicitValues().get(k.name());
            if (v != null) {
                m.put(k.name(), k.type().json(v));
            }
        }
        return m;
    }
}
