package piranha.lvscf;

import java.util.Set;

import piranha.lvscf.keys.Key;
import piranha.lvscf.keys.ValueType;

/**
 * Turns a value as a user means it into lvs.cf text that reads back as exactly that value, or
 * refuses it. This is what keeps a newline, brace, quote or {@code #} typed into a form from
 * becoming a new key or block.
 */
public final class ValueText {
    /** Keys the GUI always wrote quoted (reference §2.7). */
    private static final Set<String> ALWAYS_QUOTED = Set.of("send", "expect", "send_program");

    private ValueText() {}

    /**
     * @param preferredQuote the quote the value had before an edit (0 for none), kept if it can be
     * @throws IllegalArgumentException with an operator-facing reason when no lvs.cf text can hold the value
     */
    public static String format(Key key, String value, char preferredQuote) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(key.name() + ": a value cannot contain a line break");
        }
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(key.name() + ": a value cannot contain a NUL character");
        }
        if (key.type().arity() != 1) {
            return multiToken(key, value);
        }
        boolean quote = ALWAYS_QUOTED.contains(key.name()) || preferredQuote != 0 || needsQuotes(value);
        if (!quote) {
            return value;
        }
        char q = preferredQuote != 0 ? preferredQuote : '"';
        if (value.indexOf(q) >= 0) {
            q = q == '"' ? '\'' : '"';
        }
        if (value.indexOf(q) >= 0) {
            throw new IllegalArgumentException(key.name() + ": a value cannot contain both a double and a single quote");
        }
        return q + value + q;
    }

    static boolean needsQuotes(String v) {
        if (v.isEmpty()) {
            return true;
        }
        char c = v.charAt(0);
        if (c == '"' || c == '\'' || c == '#') {
            return true;
        }
        if (v.equals("{") || v.equals("}") || v.equals("=")) {
            return true;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) == ' ' || v.charAt(i) == '\t') {
                return true;
            }
        }
        return false;
    }

    private static String multiToken(Key key, String value) {
        String[] words = value.strip().split("[ \t]+");
        for (String w : words) {
            if (w.isEmpty() || w.charAt(0) == '"' || w.charAt(0) == '\'' || w.charAt(0) == '#'
                    || w.equals("{") || w.equals("}")) {
                throw new IllegalArgumentException(key.name() + ": '" + value + "' is not " + key.type().description());
            }
        }
        if (key.type().arity() != 0 && words.length != key.type().arity()) {
            throw new IllegalArgumentException(key.name() + ": '" + value + "' is not " + key.type().description());
        }
        return String.join(" ", words);
    }

    /** A block name: one word, no quotes, braces or comment sign. */
    public static String blockName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a name cannot be empty");
        }
        if (name.equals("=")) {
            // "virtual = {" reads back as a key, not a block: the block would vanish from the file
            throw new IllegalArgumentException("name '=': a name cannot be '=' alone");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == '"' || c == '\'' || c == '{' || c == '}' || c == '#' || c == 0x7f) {
                throw new IllegalArgumentException("name '" + name + "': use one word without blanks, quotes, braces or '#'");
            }
        }
        return name;
    }
}
