package piranha.lvscf;

import java.util.Map;

import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.Keys;
import piranha.lvscf.keys.Scope;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.Section;
import piranha.lvscf.model.VirtualService;

/**
 * Writes a model as Piranha's GUI laid files out (reference §2.7): globals unindented in
 * canonical order, failover blocks then virtual blocks, members indented by 5 spaces, server
 * members by 9. Used for new files; existing files are edited in place by {@link LvsCfDocument}.
 */
public final class CanonicalWriter {
    private CanonicalWriter() {}

    public static String write(LvsConfig config) {
        StringBuilder sb = new StringBuilder();
        members(sb, config.globals(), Scope.GLOBAL, "");
        for (VirtualService f : config.failovers()) {
            block(sb, f);
        }
        for (VirtualService v : config.virtuals()) {
            block(sb, v);
        }
        for (piranha.lvscf.model.VipGroup g : config.vipGroups()) {
            sb.append("vip_group ").append(ValueText.blockName(g.name())).append(" {\n");
            members(sb, g, Scope.VIP_GROUP, "     ");
            sb.append("}\n");
        }
        for (piranha.lvscf.model.Track t : config.tracks()) {
            sb.append("track ").append(ValueText.blockName(t.name())).append(" {\n");
            members(sb, t, Scope.TRACK, "     ");
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static void block(StringBuilder sb, VirtualService v) {
        sb.append(v.kind()).append(' ').append(ValueText.blockName(v.name())).append(" {\n");
        members(sb, v, Scope.VIRTUAL, "     ");
        for (RealServer s : v.servers()) {
            sb.append("     server ").append(ValueText.blockName(s.name())).append(" {\n");
            members(sb, s, Scope.SERVER, "         ");
            sb.append("     }\n");
        }
        sb.append("}\n");
    }

    private static void members(StringBuilder sb, Section section, Scope scope, String indent) {
        Map<String, Object> values = section.explicitValues();
        for (Key k : Keys.all(scope)) {
            Object v = values.get(k.name());
            if (v != null) {
                sb.append(indent).append(k.name()).append(" = ")
                        .append(ValueText.format(k, k.type().format(v), (char) 0)).append('\n');
            }
        }
    }
}
