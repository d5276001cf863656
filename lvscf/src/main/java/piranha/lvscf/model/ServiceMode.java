package piranha.lvscf.model;

/** The global {@code service}: LVS (virtual blocks) or the legacy FOS (failover blocks). */
public enum ServiceMode {
    LVS, FOS;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
