package piranha.lvscf.syntax;

/**
 * A run of non-blank characters, or a quoted string. {@code text} has the quotes removed;
 * {@code start} and {@code end} delimit the raw token (quotes included) in the line's text.
 * {@code quote} is the quote character, or 0 for a bare token.
 */
public record Token(String text, int start, int end, char quote) {

    /** 1-based column, as diagnostics count. */
    public int column() {
        return start + 1;
    }

    public boolean is(String s) {
        return quote == 0 && text.equals(s);
    }
}
