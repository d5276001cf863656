package piranha.lvscf.model;

/** IPVS schedulers. Piranha accepted the first eight; sed, nq, fo, ovf, twos and mh are extensions. */
public enum Scheduler {
    RR, WRR, LC, WLC, LBLC, LBLCR, DH, SH, SED, NQ, FO, OVF, TWOS, MH;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean isExtension() {
        return ordinal() > SH.ordinal();
    }
}
