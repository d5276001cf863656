package piranha.pulse.group;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.model.VipGroup;
import piranha.lvscf.model.VirtualService;
import piranha.pulse.config.PulseConfig;

/**
 * lvs.cf's {@code vip_group} blocks as pulse runs them: each group one heartbeat pair of its own, with
 * its primary, its port and its VIPs. The virtual services without {@code vip_group} form the group
 * {@value #DEFAULT} on the pair's own heartbeat_port, with the NAT router. Pure: no sockets, no clock.
 */
public final class VipGroups {
    /** The group of the virtual services without vip_group (the name lvs.cf's validator reserves). */
    public static final String DEFAULT = "default";

    private VipGroups() {}

    /** A vip_group block as read: the services are the names of the virtual blocks that name it. */
    public record Spec(String name, InetAddress primary, int heartbeatPort, Set<String> services) {
        public Spec {
            Objects.requireNonNull(name);
            Objects.requireNonNull(primary);
            services = Set.copyOf(services);
        }
    }

    /** One group with the settings its heartbeat, its machine and its addresses take, as a pair's would. */
    public record Group(String name, PulseConfig config) {}

    /** The vip_group blocks of a checked document (the validator has passed them: primary and port set). */
    public static List<Spec> specs(LvsCfDocument doc) {
        List<Spec> out = new ArrayList<>();
        for (VipGroup g : doc.config().vipGroups()) {
            Set<String> services = new java.util.HashSet<>();
            for (VirtualService v : doc.config().virtuals()) {
                if (v.vipGroup().filter(g.name()::equals).isPresent()) services.add(v.name());
            }
            out.add(new Spec(g.name(), g.primary().orElseThrow().address(), g.heartbeatPort().orElseThrow(), services));
        }
        return out;
    }

    /**
     * The pair's configuration split into its groups, the default group first when it carries
     * anything (a VIP or the NAT router). Each group's lvs.cf-level primary is the group's primary and
     * its backup the other director, private addresses following; hooks and the sync daemon belong to
     * no group (pulse/README.md, "VIP groups").
     */
    public static List<Group> split(PulseConfig pair, List<Spec> specs) {
        List<Group> out = new ArrayList<>();
        Set<String> grouped = new java.util.HashSet<>();
        for (Spec s : specs) grouped.addAll(s.services());
        List<PulseConfig.HostAddress> ungrouped = pair.vips().stream().filter(v -> !grouped.contains(v.name())).toList();
        if (!ungrouped.isEmpty() || pair.natRouter() != null) {
            out.add(new Group(DEFAULT, of(pair, pair.primary(), pair.heartbeatPort(), ungrouped, true)));
        }
        for (Spec s : specs) {
            List<PulseConfig.HostAddress> vips = pair.vips().stream().filter(v -> s.services().contains(v.name())).toList();
            out.add(new Group(s.name(), of(pair, s.primary(), s.heartbeatPort(), vips, false)));
        }
        return out;
    }

    private static PulseConfig of(PulseConfig pair, InetAddress primary, int port, List<PulseConfig.HostAddress> vips,
                                  boolean withNatRouter) {
        boolean asPair = primary.equals(pair.primary());
        return new PulseConfig(primary, asPair ? pair.backup() : pair.primary(),
                asPair ? pair.primaryPrivate() : pair.backupPrivate(), asPair ? pair.backupPrivate() : pair.primaryPrivate(),
                pair.backupActive(), port, pair.keepalive(), pair.deadtime(), pair.network(),
                withNatRouter ? pair.natRouter() : null, withNatRouter ? pair.natNmask() : null, vips,
                null, null, pair.monitorLinks(), false, pair.syncdIface(), pair.syncdId(), pair.ipvsadm(), pair.backend(),
                pair.extensions(), List.of(), List.of());
    }
}
