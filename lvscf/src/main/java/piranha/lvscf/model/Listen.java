package piranha.lvscf.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a daemon serves its Prometheus metrics (extension keys {@code pulse_metrics},
 * {@code lvsd_metrics}): {@code off}, a port on the loopback address, or {@code ADDRESS:PORT}
 * ({@code [IPv6]:PORT}). Loopback by default: metrics say which real servers are down.
 */
public record Listen(String host, int port) {
    /** Metrics not served. */
    public static final Listen OFF = new Listen(null, 0);

    private static final Pattern FORM = Pattern.compile("(?:(\\d{1,3}(?:\\.\\d{1,3}){3})|\\[([0-9A-Fa-f:.]{2,45})\\]):(\\d{1,5})|(\\d{1,5})");

    /** Nothing served. (Port 0 with an address is an ephemeral port: tests.) */
    public boolean off() {
        return host == null;
    }

    /**
     * Reads {@code off}, {@code PORT}, {@code IPV4:PORT} or {@code [IPV6]:PORT}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Listen parse(String text) {
        if (text.equals("off")) {
            return OFF;
        }
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not off, PORT, ADDRESS:PORT or [IPV6]:PORT");
        }
        String host = m.group(4) != null ? "127.0.0.1" : m.group(1) != null ? m.group(1) : m.group(2);
        int port = Integer.parseInt(m.group(4) != null ? m.group(4) : m.group(3));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range (1 to 65535)");
        }
        if (m.group(1) != null) {
            for (String octet : host.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException("'" + host + "' is not an IPv4 address");
                }
            }
        }
        return new Listen(host, port);
    }

    @Override
    public String toString() {
        if (off()) {
            return "off";
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
