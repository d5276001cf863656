package piranha.lvscf.syntax;

/**
 * One physical line: its text without the terminator, and the terminator exactly as read
 * ({@code "\n"}, {@code "\r\n"}, {@code "\r"}, or {@code ""} for a last line without one).
 * Keeping the terminator is what makes a CRLF file write back as CRLF.
 */
public record SourceLine(int number, String text, String eol) {

    public String raw() {
        return text + eol;
    }
}
