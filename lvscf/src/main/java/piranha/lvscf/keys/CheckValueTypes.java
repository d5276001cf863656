package piranha.lvscf.keys;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import piranha.lvscf.model.StatusCodes;
import piranha.lvscf.syntax.Token;

/**
 * The value types of the health-check extension keys ({@code http_*}, {@code tls_*}, {@code dns_*},
 * {@code smtp_helo}, {@code check_script*}). Each refuses what a check could not use, so a bad value
 * is reported at its line and column when lvs.cf is read, never when the check runs.
 */
public final class CheckValueTypes {
    private CheckValueTypes() {}

    /** A string that must match {@code pattern}; {@code what} completes "'x' is not ...". */
    private static final class Matching extends ValueType {
        private final Pattern pattern;
        private final String what;
        private final boolean upper;

        Matching(String pattern, String what, boolean upper) {
            this.pattern = Pattern.compile(pattern);
            this.what = what;
            this.upper = upper;
        }

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (!pattern.matcher(s).matches()) {
                String hint = upper && pattern.matcher(s.toUpperCase(Locale.ROOT)).matches()
                        ? ": values are case-sensitive; did you mean '" + s.toUpperCase(Locale.ROOT) + "'?" : "";
                throw new ValueException(0, "'" + s + "' is not " + what + hint);
            }
            return s;
        }

        @Override
        public String description() {
            return what;
        }
    }

    /** {@code 200-299,301}. */
    public static final ValueType STATUS_CODES = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            try {
                return StatusCodes.parse(tokens.get(0).text());
            } catch (IllegalArgumentException e) {
                throw new ValueException(0, e.getMessage());
            }
        }

        @Override
        public String description() {
            return "status codes and ranges, e.g. 200-299,301";
        }
    };

    /** GET, HEAD, POST, OPTIONS...: an HTTP token in capitals. */
    public static final ValueType HTTP_METHOD = new Matching("[A-Z]{1,20}", "an HTTP method such as GET or HEAD", true);

    /** An origin-form request target: starts with '/', printable ASCII, no blanks. */
    public static final ValueType HTTP_PATH = new Matching("/[\\x21-\\x7e]{0,2047}",
            "a request path starting with / (printable ASCII, no blanks; %-encode the rest)", false);

    /** The Host header: a name or IPv4 address, or [IPv6], with an optional :port. */
    public static final ValueType HTTP_HOST = new Matching(
            "([A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?|\\[[0-9A-Fa-f:.]{2,45}\\])(:[0-9]{1,5})?",
            "a host name or address with an optional :port, e.g. www.example.com", false);

    /** A DNS name to query, or to send as SNI or in EHLO. */
    public static final ValueType DNS_NAME = new Matching(
            "(?=.{1,254}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*\\.?",
            "a DNS name such as www.example.com", false);

    /** The record types a dns check may ask for. */
    public static final ValueType DNS_TYPE = new ValueType() {
        private final List<Object> types = List.of("A", "AAAA", "CNAME", "MX", "TXT", "SOA", "NS");

        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (types.contains(s)) {
                return s;
            }
            if (types.contains(s.toUpperCase(Locale.ROOT))) {
                throw new ValueException(0, "'" + s + "' is not valid: values are case-sensitive; did you mean '"
                        + s.toUpperCase(Locale.ROOT) + "'?");
            }
            throw new ValueException(0, "'" + s + "' is not one of " + description().substring(7));
        }

        @Override
        public List<Object> choices() {
            return types;
        }

        @Override
        public String description() {
            return "one of A, AAAA, CNAME, MX, TXT, SOA, NS";
        }
    };

    /** An MD5 (32 hex digits, as keepalived's genhash prints) or SHA-256 (64) digest of a body. */
    public static final ValueType DIGEST = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (!s.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{64}")) {
                throw new ValueException(0, "'" + s + "' is not a digest: 32 hex digits (MD5) or 64 (SHA-256)");
            }
            return s.toLowerCase(Locale.ROOT);
        }

        @Override
        public String description() {
            return "an MD5 (32 hex digits) or SHA-256 (64 hex digits) digest of the body";
        }
    };

    /** A Java regular expression, compiled when read so a bad one is reported at its line. */
    public static final ValueType REGEX = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            try {
                Pattern.compile(s);
            } catch (PatternSyntaxException e) {
                throw new ValueException(0, "'" + s + "' is not a valid regular expression: " + e.getDescription());
            }
            return s;
        }

        @Override
        public String description() {
            return "a regular expression (Java syntax), searched for";
        }
    };

    /** A file named by its absolute path (read by lvsd when the check is built). */
    public static final ValueType ABSOLUTE_PATH = new Matching("/[^\\x00-\\x1f]*", "an absolute path", false);

    /** A program and its arguments, run without a shell: the program by its absolute path. */
    public static final ValueType COMMAND = new Matching("/[^\\x00-\\x1f]*",
            "a program by its absolute path, then its arguments (%h = real server IP, %p = port; no shell)", false);

    /** A local user name (or numeric uid) that check programs run as. */
    public static final ValueType USER = new Matching("[A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10}",
            "a user name or numeric uid", false);
}
