package piranha.lvscf.model;

/** IPVS schedulers. Piranha accepted the first eight; sed and nq are extensions. */
public enum Scheduler {
    RR, WRR, LC, WLC, LBLC, LBLCR, DH, SH, SED, NQ;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isExtension() {
        return this == SED || this == NQ;
    }
}
