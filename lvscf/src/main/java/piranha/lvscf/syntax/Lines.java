package piranha.lvscf.syntax;

import java.util.ArrayList;
import java.util.List;

/** Splits text into lines, accepting LF, CRLF and a lone CR as terminators and keeping each. */
public final class Lines {
    private Lines() {}

    public static List<SourceLine> split(String text) {
        return split(text, 1);
    }

    /** Splits a run of whole lines whose first line is line {@code firstNumber} of its file. */
    public static List<SourceLine> split(String text, int firstNumber) {
        List<SourceLine> lines = new ArrayList<>();
        int start = 0;
        int n = text.length();
        int number = firstNumber;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                int next = (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? i + 2 : i + 1;
                String eol = next - i == 2 ? "\r\n" : c == '\n' ? "\n" : "\r";
                lines.add(new SourceLine(number++, text.substring(start, i), eol));
                start = next;
                i = next - 1;
            }
        }
        if (start < n) {
            lines.add(new SourceLine(number, text.substring(start), ""));
        }
        return lines;
    }

    /** The terminator most lines use, for lines the writer adds; LF for a file that has none. */
    public static String dominantEol(List<SourceLine> lines) {
        int crlf = 0;
        int lf = 0;
        int cr = 0;
        for (SourceLine l : lines) {
            switch (l.eol()) {
                case "\r\n" -> crlf++;
                case "\n" -> lf++;
                case "\r" -> cr++;
                default -> { }
            }
        }
        if (crlf > lf && crlf >= cr) {
            return "\r\n";
        }
        return cr > lf ? "\r" : "\n";
    }
}
