package piranha.lvscf.keys;

/** Where a key may stand. VIRTUAL covers both {@code virtual} and {@code failover} blocks. */
public enum Scope {
    GLOBAL("at the top level"), VIRTUAL("inside a virtual block"), SERVER("inside a server block");

    private final String where;

    Scope(String where) {
        this.where = where;
    }

    public String where() {
        return where;
    }
}
