package piranha.lvscf;

/**
 * One finding about an lvs.cf file, located at a line and column (both 1-based; column 1 for
 * findings about a whole line). {@code key} is the lvs.cf keyword concerned, or null.
 */
public record Diagnostic(String file, int line, int column, Severity severity, String key, String message) {

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code FILE:LINE:COL: error|warning: message}, the format compilers and editors understand. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + severity.word() + ": " + message;
    }
}
