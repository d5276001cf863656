package piranha.lvscf.syntax;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line into tokens as Piranha's parser does (blanks are space and TAB; a token that
 * starts with a quote runs to the next quote of the same kind), with one extension: a token that
 * starts with {@code #} after a directive's first value, or after a brace, begins a trailing
 * comment. {@code key = #x} still has the value {@code #x}, as in Piranha.
 */
public final class Tokenizer {

    /** The tokens of a line, or the column of an unterminated quote. */
    public record Result(List<Token> tokens, int unterminatedQuoteColumn) {
        public boolean ok() {
            return unterminatedQuoteColumn == 0;
        }
    }

    private Tokenizer() {}

    public static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    public static Result tokenize(String line) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isBlank(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return new Result(tokens, 0);
            }
            char c = line.charAt(i);
            if (c == '#' && startsComment(tokens)) {
                return new Result(tokens, 0);
            }
            if (c == '"' || c == '\'') {
                int close = line.indexOf(c, i + 1);
                if (close < 0) {
                    return new Result(tokens, i + 1);
                }
                tokens.add(new Token(line.substring(i + 1, close), i, close + 1, c));
                i = close + 1;
            } else {
                int start = i;
                while (i < n && !isBlank(line.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(line.substring(start, i), start, i, (char) 0));
            }
        }
    }

    private static boolean startsComment(List<Token> before) {
        int k = before.size();
        if (k == 0) {
            return true;
        }
        Token last = before.get(k - 1);
        return k >= 3 || last.is("{") || last.is("}");
    }
}
