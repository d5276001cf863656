package piranha.lvscf.model;

import java.util.Objects;
import java.util.Optional;

import piranha.lvscf.keys.Scope;

/**
 * A {@code vip_group NAME {}} block (extension): VIPs that fail over on a heartbeat of their own, so
 * that each director of the pair can carry one group and stand by for the other (keepalived's two
 * VRRP instances). The virtual services name their group with {@code vip_group = NAME}.
 */
public final class VipGroup extends Section {
    private final String name;
    private final Position header;

    public VipGroup(String name, java.util.Map<String, Object> values, java.util.Map<String, Position> positions,
                    Position header) {
        super(Scope.VIP_GROUP, values, positions);
        this.name = name;
        this.header = header;
    }

    public String name() {
        return name;
    }

    public Position header() {
        return header;
    }

    /** The director that carries the group while it can (one of the pair's public addresses). */
    public Optional<Host> primary() {
        return Optional.ofNullable((Host) value("primary"));
    }

    /** The group's heartbeat port; empty when the block does not set it (an error). */
    public Optional<Integer> heartbeatPort() {
        return Optional.ofNullable((Integer) value("heartbeat_port"));
    }

    @Override
    protected boolean sameBlock(Section other) {
        return other instanceof VipGroup g && name.equals(g.name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), name);
    }
}
