package piranha.lvscf.model;

/** Where something was read: 1-based line and column. */
public record Position(int line, int column) {
    public static final Position NONE = new Position(0, 0);
}
