package piranha.nanny.check;

import io.vertx.core.buffer.Buffer;

/**
 * The bytes an http check sends: {@code http_method http_path} as HTTP/1.1 with the Host header
 * ({@code http_host}, else the real server's address, with its port unless 80/443) and
 * {@code Connection: close}, or {@code keep-alive} with {@code http_keepalive = 1}. The first hop's
 * request is encoded once, when the check is made: most checks never send another.
 */
final class HttpRequestEncoder {
    private final String method;
    private final boolean keepAlive;
    /** The Host header of the first hop; a redirect's Location may name another. */
    private final String host;
    private final Buffer first;

    HttpRequestEncoder(CheckSpec.Http http, Target target, boolean https) {
        this.method = http.method();
        this.keepAlive = http.keepAlive();
        this.host = http.host() != null ? http.host() : defaultHost(target, https);
        this.first = Buffer.buffer(encode(http.path(), host));
    }

    /** The first hop's request, the same buffer every run. */
    Buffer first() {
        return first;
    }

    /** The request of a later hop (a redirect followed), to {@code path} with {@code host}. */
    Buffer hop(String path, String host) {
        return Buffer.buffer(encode(path, host));
    }

    /** The Host header value of the first hop. */
    String host() {
        return host;
    }

    private String encode(String path, String host) {
        StringBuilder r = new StringBuilder(128);
        r.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\nUser-Agent: piranha-nanny\r\nAccept: */*\r\nConnection: ")
                .append(keepAlive ? "keep-alive" : "close").append("\r\n");
        if (method.equals("POST") || method.equals("PUT")) {
            // Some servers answer 411 Length Required to a POST or PUT without one.
            r.append("Content-Length: 0\r\n");
        }
        return r.append("\r\n").toString();
    }

    private static String defaultHost(Target target, boolean https) {
        String h = target.host().indexOf(':') >= 0 ? "[" + target.host() + "]" : target.host();
        int standard = https ? 443 : 80;
        return target.port() == standard ? h : h + ":" + target.port();
    }

    /** The Host of the request a Location header asks for: its authority when absolute, else unchanged. */
    static String redirectHost(String location, String host) {
        String loc = location.trim();
        if (!absolute(loc)) {
            return host;
        }
        String rest = loc.substring(loc.indexOf("//") + 2);
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }

    /**
     * The path of the request a Location header asks for, resolved against the current one, with
     * control characters, spaces and bytes above 0x7e removed (they would break the request line).
     */
    static String redirectPath(String location, String path) {
        String loc = location.trim();
        String next;
        if (absolute(loc)) {
            String rest = loc.substring(loc.indexOf("//") + 2);
            int slash = rest.indexOf('/');
            next = slash < 0 ? "/" : rest.substring(slash);
        } else if (loc.startsWith("/")) {
            next = loc;
        } else {
            next = path.substring(0, path.lastIndexOf('/') + 1) + loc;
        }
        return next.replaceAll("[\\x00-\\x20\\x7f-\\xff]", "");
    }

    private static boolean absolute(String location) {
        return location.matches("(?i)https?://.*");
    }
}
