package piranha.lvscf;

public enum Severity {
    ERROR, WARNING;

    /** The word used in `FILE:LINE:COL: error: message`. */
    public String word() {
        return this == ERROR ? "error" : "warning";
    }
}
