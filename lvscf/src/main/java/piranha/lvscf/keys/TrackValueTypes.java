package piranha.lvscf.keys;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import piranha.lvscf.syntax.Token;

/**
 * The value types of a {@code track} block's probes: what pulse can check, refused at its line and
 * column when lvs.cf is read, never when the check runs.
 */
public final class TrackValueTypes {
    private TrackValueTypes() {}

    /** A process name as pidof takes it: printable, no blanks, no '/'. */
    public static final ValueType PROCESS_NAME = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            if (!s.matches("[\\x21-\\x7e&&[^/]]{1,255}")) {
                throw new ValueException(0, "'" + s + "' is not " + description());
            }
            return s;
        }

        @Override
        public String description() {
            return "a process name such as haproxy (no blanks, no '/')";
        }
    };

    private static final Pattern ENDPOINT_FORM = Pattern.compile("(\\[[0-9A-Fa-f:.]{2,45}\\]|[A-Za-z0-9_.-]{1,253}):([0-9]{1,5})");

    /** ADDRESS:PORT, [IPV6]:PORT or NAME:PORT. */
    public static final ValueType ENDPOINT = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            Matcher m = ENDPOINT_FORM.matcher(s);
            if (!m.matches()) {
                throw new ValueException(0, "'" + s + "' is not " + description());
            }
            int port = Integer.parseInt(m.group(2));
            if (port < 1 || port > 65535) {
                throw new ValueException(0, "port " + port + " of '" + s + "' is not 1-65535");
            }
            return s;
        }

        @Override
        public String description() {
            return "ADDRESS:PORT, e.g. 127.0.0.1:80 ([IPV6]:PORT for IPv6)";
        }
    };

    /** An http or https URL with a host; the path (default /) is the request target. */
    public static final ValueType URL = new ValueType() {
        @Override
        public Object parse(List<Token> tokens, Context ctx) throws ValueException {
            String s = tokens.get(0).text();
            URI u;
            try {
                u = new URI(s);
            } catch (URISyntaxException e) {
                throw new ValueException(0, "'" + s + "' is not a URL: " + e.getReason());
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            if (!scheme.equals("http") && !scheme.equals("https")) {
                String hint = scheme.toLowerCase(Locale.ROOT).matches("https?") ? " (schemes are lower case)" : "";
                throw new ValueException(0, "'" + s + "' is not " + description() + hint);
            }
            if (u.getHost() == null || u.getHost().isEmpty()) {
                throw new ValueException(0, "'" + s + "' has no host: write e.g. http://127.0.0.1:8080/health");
            }
            if (u.getRawUserInfo() != null || u.getRawFragment() != null) {
                throw new ValueException(0, "'" + s + "' may not carry user information or a fragment");
            }
            if (u.getPort() == 0 || u.getPort() > 65535) {
                throw new ValueException(0, "port " + u.getPort() + " of '" + s + "' is not 1-65535");
            }
            return s;
        }

        @Override
        public String description() {
            return "an http:// or https:// URL such as http://127.0.0.1:8080/health";
        }
    };
}
