package piranha.lvscf.model;

/**
 * Extension key {@code director_mode}: PAIR is Piranha's primary/backup pair (heartbeats, floating
 * addresses); ACTIVE_ACTIVE runs every director for all VIPs behind an ECMP router, each announcing
 * the VIPs with BGP through BIRD while it is healthy.
 */
public enum DirectorMode {
    PAIR, ACTIVE_ACTIVE;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
