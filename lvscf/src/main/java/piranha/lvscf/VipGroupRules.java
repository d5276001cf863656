package piranha.lvscf;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import piranha.lvscf.model.DirectorMode;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Position;
import piranha.lvscf.model.ServiceMode;
import piranha.lvscf.model.VipGroup;
import piranha.lvscf.model.VirtualService;

/**
 * The checks of {@code vip_group} blocks and the virtual services naming them: what pulse needs to run
 * one heartbeat per group (a pair, a port of its own, a primary it can recognise) and to give each VIP
 * to one group only. Severities are listed in lvscf/README.md.
 */
final class VipGroupRules {
    private VipGroupRules() {}

    /** Reports one finding at a position, naming the key (or null). */
    interface Report {
        void at(Position p, String key, String message);
    }

    /** The group of the pair's own heartbeat (virtual services without vip_group), as status and errors name it. */
    static final String DEFAULT_GROUP = "default";

    static void check(LvsConfig config, Report error, Report warn) {
        Globals g = config.globals();
        Map<String, VipGroup> byName = new HashMap<>();
        Map<Integer, String> ports = new HashMap<>();
        ports.put(g.heartbeatPort(), "heartbeat_port");
        for (VipGroup vg : config.vipGroups()) {
            String name = "vip_group '" + vg.name() + "'";
            VipGroup first = byName.putIfAbsent(vg.name(), vg);
            if (first != null) {
                error.at(vg.header(), null, name + " is declared twice (first at line " + first.header().line()
                        + "): virtual services name their group by its name");
            }
            if (vg.name().equals(DEFAULT_GROUP)) {
                error.at(vg.header(), null, name + ": '" + DEFAULT_GROUP + "' names the pair's own heartbeat"
                        + " (virtual services without vip_group); choose another name");
            }
            if (vg.primary().isEmpty()) {
                error.at(vg.header(), "primary", name + " has no primary: write primary = ADDRESS, the public"
                        + " address of the director that carries the group (lvs.cf's primary or backup)");
            } else if (!pairAddress(g, vg.primary().get())) {
                error.at(vg.position("primary"), "primary", name + ": primary " + vg.primary().get().text()
                        + " is neither primary (" + g.primary().map(Host::text).orElse("unset") + ") nor backup ("
                        + g.backup().map(Host::text).orElse("unset") + "): a group is carried by one of the pair");
            }
            if (vg.heartbeatPort().isEmpty()) {
                error.at(vg.header(), "heartbeat_port", name + " has no heartbeat_port: each group has a heartbeat of"
                        + " its own, on a port apart from heartbeat_port and the other groups'");
            } else {
                String taken = ports.putIfAbsent(vg.heartbeatPort().get(), name);
                if (taken != null) {
                    error.at(vg.position("heartbeat_port"), "heartbeat_port", name + ": heartbeat_port "
                            + vg.heartbeatPort().get() + " is already " + (taken.equals("heartbeat_port")
                            ? "the pair's heartbeat_port" : "the port of " + taken) + ": each heartbeat needs a port of its own");
                }
            }
        }
        if (!config.vipGroups().isEmpty()) {
            pairOnly(g, config.vipGroups().get(0), error);
            if (!g.isSet("giveback_delay")) {
                warn.at(config.vipGroups().get(0).header(), null, "vip_group blocks without giveback_delay: a group's"
                        + " primary that comes back stays standby (Piranha's no give-back), so the director started first"
                        + " keeps every group until it fails; set giveback_delay");
            }
        }
        members(config, byName, error, warn);
    }

    private static boolean pairAddress(Globals g, Host h) {
        return g.primary().map(p -> p.address().equals(h.address())).orElse(false)
                || g.backup().map(b -> b.address().equals(h.address())).orElse(false);
    }

    /** Groups split the VIPs between the two directors of a heartbeat pair running LVS. */
    private static void pairOnly(Globals g, VipGroup first, Report error) {
        String why = "vip_group blocks need ";
        if (g.service() == ServiceMode.FOS) {
            error.at(first.header(), null, why + "service = lvs: failover services move as one");
        }
        if (g.directorMode() == DirectorMode.ACTIVE_ACTIVE) {
            error.at(first.header(), null, why + "director_mode = pair: active-active directors carry every VIP");
        }
        if (!g.backupActive() || g.backup().isEmpty() || g.backup().get().isUnspecified()) {
            error.at(first.header(), null, why + "a backup director (backup_active = 1 and backup): each group is"
                    + " carried by one director and backed by the other");
        }
    }

    /** Each vip_group named exists; each VIP belongs to one group; a group without a service is worth a warning. */
    private static void members(LvsConfig config, Map<String, VipGroup> groups, Report error, Report warn) {
        Map<InetAddress, VirtualService> owner = new HashMap<>();
        Map<String, Boolean> used = new LinkedHashMap<>();
        for (VirtualService v : config.virtuals()) {
            Optional<String> named = v.vipGroup();
            if (named.isPresent() && !groups.containsKey(named.get())) {
                error.at(v.position("vip_group"), "vip_group", "virtual '" + v.name() + "': no vip_group block is named '"
                        + named.get() + "'" + (groups.isEmpty() ? " (this file has none)"
                        : " (declared: " + String.join(", ", groups.keySet().stream().sorted().toList()) + ")"));
                continue;
            }
            if (!v.active() || v.address().isEmpty()) continue;
            String group = named.orElse(DEFAULT_GROUP);
            used.put(group, true);
            InetAddress vip = v.address().get().address();
            VirtualService first = owner.putIfAbsent(vip, v);
            String firstGroup = first == null ? group : first.vipGroup().orElse(DEFAULT_GROUP);
            if (!firstGroup.equals(group)) {
                Position at = v.isSet("vip_group") ? v.position("vip_group") : v.header();
                error.at(at, "vip_group", "virtual '" + v.name() + "': VIP " + vip.getHostAddress() + " is in vip_group '"
                        + group + "' but virtual '" + first.name() + "' (line " + first.header().line() + ") puts it in '"
                        + firstGroup + "': an address is carried by one director, so all its services share a group");
            }
        }
        for (VipGroup vg : config.vipGroups()) {
            if (!used.containsKey(vg.name())) {
                warn.at(vg.header(), null, "vip_group '" + vg.name() + "' has no active virtual service: its heartbeat"
                        + " runs with no VIP to move");
            }
        }
    }
}
