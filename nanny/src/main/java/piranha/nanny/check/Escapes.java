package piranha.nanny.check;

/**
 * Piranha's backslash escapes in send/expect strings: {@code \\ \r \n \t \' \"} are translated and
 * every other backslash sequence stays literal. Like Piranha, strings shorter than two characters
 * are left alone.
 */
public final class Escapes {
    private Escapes() {}

    public static String translate(String s) {
        if (s == null || s.length() < 2 || s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                char t = switch (n) {
                    case '\\' -> '\\';
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case '\'' -> '\'';
                    case '"' -> '"';
                    default -> 0;
                };
                if (t != 0) {
                    out.append(t);
                    i++;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Bytes as a short quoted-safe text for reasons: printable ASCII kept, the rest escaped. */
    public static String show(byte[] b, int len, int max) {
        StringBuilder out = new StringBuilder();
        int n = Math.min(len, max);
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        if (len > max) {
            out.append("...");
        }
        return out.toString();
    }
}
