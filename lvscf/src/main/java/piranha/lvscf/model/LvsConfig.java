package piranha.lvscf.model;

import java.util.List;
import java.util.Objects;

/** What an lvs.cf file means: globals, virtual services and (legacy) failover services. */
public final class LvsConfig {
    private final Globals globals;
    private final List<VirtualService> virtuals;
    private final List<VirtualService> failovers;
    private final List<Track> tracks;
    private final List<VipGroup> vipGroups;

    public LvsConfig(Globals globals, List<VirtualService> virtuals, List<VirtualService> failovers) {
        this(globals, virtuals, failovers, List.of());
    }

    public LvsConfig(Globals globals, List<VirtualService> virtuals, List<VirtualService> failovers, List<Track> tracks) {
        this(globals, virtuals, failovers, tracks, List.of());
    }

    public LvsConfig(Globals globals, List<VirtualService> virtuals, List<VirtualService> failovers, List<Track> tracks,
                     List<VipGroup> vipGroups) {
        this.globals = globals;
        this.vipGroups = List.copyOf(vipGroups);
        this.virtuals = List.copyOf(virtuals);
        this.failovers = List.copyOf(failovers);
        this.tracks = List.copyOf(tracks);
    }

    /** The {@code track} blocks (extension: checks of the director itself), in file order. */
    public List<Track> tracks() {
        return tracks;
    }

    /** The {@code vip_group} blocks (extension: VIPs failing over on a heartbeat of their own), in file order. */
    public List<VipGroup> vipGroups() {
        return vipGroups;
    }

    public Globals globals() {
        return globals;
    }

    /** Every virtual block, active or not, in file order. */
    public List<VirtualService> virtuals() {
        return virtuals;
    }

    public List<VirtualService> activeVirtuals() {
        return virtuals.stream().filter(VirtualService::active).toList();
    }

    public List<VirtualService> failovers() {
        return failovers;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LvsConfig c && globals.equals(c.globals) && virtuals.equals(c.virtuals)
                && failovers.equals(c.failovers) && tracks.equals(c.tracks) && vipGroups.equals(c.vipGroups);
    }

    @Override
    public int hashCode() {
        return Objects.hash(globals, virtuals, failovers, tracks, vipGroups);
    }

    @Override
    public String toString() {
        return "LvsConfig{" + globals + ", virtuals=" + virtuals + ", failovers=" + failovers + (tracks.isEmpty() ? "" : ", tracks=" + tracks)
                + (vipGroups.isEmpty() ? "" : ", vipGroups=" + vipGroups) + "}";
    }
}
