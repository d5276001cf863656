package piranha.lvscf;

import java.util.List;

import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.VirtualService;

/**
 * The runtime changes an operator makes to one virtual service's real servers ({@code lvsadm
 * add-server}, {@code remove-server}, {@code set-weight}, and the same in the configuration tool),
 * as edits of the document: each returns a new document, or throws {@link IllegalArgumentException}
 * with the reason when the service or server is not there, or the change would leave errors in
 * the file (the same validation as reading it: every error, located). Nothing here writes.
 */
public final class RealServerEdits {
    private RealServerEdits() {}

    /**
     * Adds an active server block {@code name} to the virtual block {@code service}, after its last
     * server, with {@code address} and, when given, {@code port} and {@code weight}.
     *
     * @param endpoint {@code ADDRESS}, {@code ADDRESS:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address
     */
    public static LvsCfDocument addServer(LvsCfDocument doc, String service, String name, String endpoint, Integer weight) {
        int v = virtual(doc, service);
        if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("server name '" + name + "': letters, digits, '_', '.' and '-' only");
        }
        if (server(doc, v, name) >= 0) {
            throw new IllegalArgumentException("virtual service " + service + " already has a server " + name);
        }
        String[] hostPort = split(endpoint);
        LvsCfDocument d = doc.addServer(v, name);
        int s = d.config().virtuals().get(v).servers().size() - 1;
        d = d.withServer(v, s, "address", hostPort[0]);
        if (hostPort[1] != null) {
            d = d.withServer(v, s, "port", hostPort[1]);
        }
        if (weight != null) {
            d = d.withServer(v, s, "weight", Integer.toString(weight));
        }
        return valid(doc, d.withServer(v, s, "active", "1"));
    }

    /** Removes the server block {@code name} of the virtual block {@code service}. */
    public static LvsCfDocument removeServer(LvsCfDocument doc, String service, String name) {
        int v = virtual(doc, service);
        return valid(doc, doc.removeServer(v, existing(doc, v, service, name)));
    }

    /** Sets the {@code weight} of the server block {@code name} of the virtual block {@code service}. */
    public static LvsCfDocument setWeight(LvsCfDocument doc, String service, String name, int weight) {
        int v = virtual(doc, service);
        return valid(doc, doc.withServer(v, existing(doc, v, service, name), "weight", Integer.toString(weight)));
    }

    /** The virtual block named {@code service}, or the active one whose ipvsadm form it is. */
    private static int virtual(LvsCfDocument doc, String service) {
        List<VirtualService> vs = doc.config().virtuals();
        for (int i = 0; i < vs.size(); i++) {
            if (vs.get(i).name().equals(service)) {
                return i;
            }
        }
        for (int i = 0; i < vs.size(); i++) {
            if (vs.get(i).active() && vs.get(i).ipvsService().equals(service)) {
                return i; // as lvsadm drain takes it: -t VIP:PORT, -f MARK
            }
        }
        throw new IllegalArgumentException(doc.file() + " has no virtual service " + service + " (virtual services: "
                + String.join(", ", vs.stream().map(VirtualService::name).toList()) + ")");
    }

    private static int server(LvsCfDocument doc, int v, String name) {
        List<RealServer> ss = doc.config().virtuals().get(v).servers();
        for (int i = 0; i < ss.size(); i++) {
            if (ss.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int existing(LvsCfDocument doc, int v, String service, String name) {
        int s = server(doc, v, name);
        if (s < 0) {
            throw new IllegalArgumentException("virtual service " + service + " has no server " + name + " (servers: "
                    + String.join(", ", doc.config().virtuals().get(v).servers().stream().map(RealServer::name).toList()) + ")");
        }
        return s;
    }

    /** ADDRESS[:PORT] as lvs.cf's {@code address} and {@code port} values (port null when not given). */
    static String[] split(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IllegalArgumentException("give the real server's ADDRESS or ADDRESS:PORT");
        }
        if (endpoint.startsWith("[")) {
            int close = endpoint.indexOf(']');
            if (close < 0 || (close + 1 < endpoint.length() && endpoint.charAt(close + 1) != ':')) {
                throw new IllegalArgumentException("'" + endpoint + "': write an IPv6 address with a port as [ADDRESS]:PORT");
            }
            return new String[] {endpoint.substring(1, close), close + 1 < endpoint.length() ? endpoint.substring(close + 2) : null};
        }
        int colon = endpoint.indexOf(':');
        if (colon < 0 || endpoint.indexOf(':', colon + 1) >= 0) {
            return new String[] {endpoint, null}; // no port, or a bare IPv6 address
        }
        return new String[] {endpoint.substring(0, colon), endpoint.substring(colon + 1)};
    }

    /** The edited document, unless it has an error the original did not have, or any error at all. */
    private static LvsCfDocument valid(LvsCfDocument before, LvsCfDocument after) {
        if (after.hasErrors()) {
            throw new IllegalArgumentException("the change is refused, " + before.file() + " is kept as it is:\n"
                    + String.join("\n", after.errors().stream().map(Object::toString).toList()));
        }
        return after;
    }
}
