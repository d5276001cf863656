package piranha.lvscf.model;

public enum Protocol {
    TCP, UDP;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
