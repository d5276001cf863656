package piranha.lvscf.model;

/**
 * Extension key {@code backend}: which table backend lvsd drives. AUTO picks IPVSADM when the
 * kernel has IPVS ({@code /proc/net/ip_vs} exists) and USERSPACE otherwise.
 */
public enum Backend {
    AUTO, IPVSADM, USERSPACE;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
