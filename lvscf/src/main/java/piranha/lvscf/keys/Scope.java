package piranha.lvscf.keys;

/**
 * Where a key may stand. VIRTUAL covers both {@code virtual} and {@code failover} blocks; TRACK is a
 * {@code track} block (a tracked check of the director itself, an extension); VIP_GROUP a
 * {@code vip_group} block (VIPs failing over on a heartbeat of their own, an extension).
 */
public enum Scope {
    GLOBAL("at the top level"), VIRTUAL("inside a virtual block"), SERVER("inside a server block"),
    TRACK("inside a track block"), VIP_GROUP("inside a vip_group block");

    private final String where;

    Scope(String where) {
        this.where = where;
    }

    public String where() {
        return where;
    }
}
