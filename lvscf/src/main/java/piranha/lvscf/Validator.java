package piranha.lvscf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import piranha.lvscf.model.AddressDevice;
import piranha.lvscf.model.DirectorMode;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.PrefixLength;
import piranha.lvscf.model.Values;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Network;
import piranha.lvscf.model.Position;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.Section;
import piranha.lvscf.model.ServiceMode;
import piranha.lvscf.model.VirtualService;

/**
 * Checks that need more than one key: what Piranha let through and then misbehaved on. Each
 * check's severity is documented in lvscf/README.md; an error means the file is never applied.
 */
final class Validator {
    /**
     * What the checks of one service found. They depend only on the block and the global
     * {@code network}, so a re-read takes them over for the blocks it kept.
     */
    record Checked(Network network, Map<VirtualService, List<Diagnostic>> byService) {
        static final Checked NONE = new Checked(null, Map.of());
    }

    private final String file;
    private final Checked previous;
    private final Map<VirtualService, List<Diagnostic>> checked = new IdentityHashMap<>();
    private List<Diagnostic> out = new ArrayList<>();

    Validator(String file, Checked previous) {
        this.file = file;
        this.previous = previous;
    }

    /** The per-service findings of the last {@link #validate}, for the next re-read. */
    Checked checked(LvsConfig config) {
        return new Checked(config.globals().network(), checked);
    }

    List<Diagnostic> validate(LvsConfig config) {
        Globals g = config.globals();
        heartbeat(g);
        families(g);
        commands(g);
        activeActive(g, config);
        if (g.service() == ServiceMode.FOS) {
            failovers(g, config);
        }
        tracks(config);
        VipGroupRules.check(config, (p, key, m) -> errorAt(p, key, m), (p, key, m) -> warnAt(p, key, m));
        Map<String, VirtualService> seen = new HashMap<>();
        boolean reuse = previous.network() == g.network();
        for (VirtualService v : config.virtuals()) {
            List<Diagnostic> found = reuse ? previous.byService().get(v) : null;
            if (found == null) {
                List<Diagnostic> all = out;
                out = new ArrayList<>();
                service(g.network(), v);
                found = List.copyOf(out);
                out = all;
            }
            checked.put(v, found);
            out.addAll(found);
            if (v.active() && v.address().isPresent()) {
                String id = v.fwmark() != 0 ? "fwmark " + v.fwmark() : v.protocol().keyword() + " " + Values.endpoint(v.address().get().address(), v.port());
                VirtualService first = seen.putIfAbsent(id, v);
                if (first != null) {
                    warnAt(v.header(), null, "virtual '" + v.name() + "' declares the same IPVS service (" + id
                            + ") as virtual '" + first.name() + "' at line " + first.header().line()
                            + "; only the first is programmed");
                }
            }
        }
        if (g.service() == ServiceMode.LVS && config.activeVirtuals().isEmpty()) {
            out.add(new Diagnostic(file, 1, 1, Severity.WARNING, null, "no active virtual service: pulse has nothing to run (set active = 1 in a virtual block)"));
        }
        return out;
    }

    /** What pulse refuses to run in service = fos is an error here, at its line. */
    private void failovers(Globals g, LvsConfig config) {
        boolean any = false;
        for (VirtualService f : config.failovers()) {
            String name = "failover '" + f.name() + "'";
            if (f.timeout() < 1) error(f, "timeout", name + ": timeout must be at least 1 second");
            for (String key : List.of("start_cmd", "stop_cmd")) {
                Object v = f.value(key);
                if (v != null && !firstWord((String) v).startsWith("/")) {
                    error(f, key, name + ": " + key + " must start with an absolute path: it is run without a shell");
                }
            }
            if (!f.active()) continue;
            any = true;
            if (f.address().isEmpty()) {
                errorAt(f.header(), "address", name + " is active but has no address (write address = IP DEVICE)");
            }
            if (f.value("start_cmd") == null) {
                warnAt(f.header(), "start_cmd", name + " has no start_cmd: pulse only moves its address and checks it");
            }
        }
        if (!any) {
            error(g, "service", "service = fos but no active failover services defined: pulse has nothing to run");
        }
        if (!config.activeVirtuals().isEmpty()) {
            warn(g, "service", "service = fos: the virtual blocks are not run (pulse runs the failover blocks)");
        }
    }

    /**
     * track blocks (pulse's checks of the director itself): each names one thing to check, and a
     * name once, so that status and logs tell them apart.
     */
    private void tracks(LvsConfig config) {
        Map<String, piranha.lvscf.model.Track> seen = new HashMap<>();
        for (piranha.lvscf.model.Track t : config.tracks()) {
            String name = "track '" + t.name() + "'";
            piranha.lvscf.model.Track first = seen.putIfAbsent(t.name(), t);
            if (first != null) {
                errorAt(t.header(), null, name + " is declared twice (first at line " + first.header().line()
                        + "): status and logs name tracked checks by their name");
            }
            List<String> probes = t.probes();
            if (probes.isEmpty()) {
                errorAt(t.header(), null, name + " checks nothing: set one of command, process, tcp or http");
            }
            for (String extra : probes.subList(Math.min(1, probes.size()), probes.size())) {
                error(t, extra, name + ": " + extra + " together with " + probes.get(0)
                        + ": a track block checks one thing (write one block per check)");
            }
            if (t.timeout() > t.interval()) {
                warn(t, "timeout", name + ": timeout (" + t.timeout() + " s) is longer than interval (" + t.interval()
                        + " s): a check still running when the next is due makes that one wait");
            }
        }
    }

    /** Directors a flow can be handed along; the hop count rides in the TTL below 16 (pulse/README.md). */
    static final int MAX_DIRECTOR_PEERS = 15;

    /** The BGP keys director_mode = active_active needs, and what they mean in the other mode. */
    private void activeActive(Globals g, LvsConfig config) {
        List<String> bgp = List.of("bgp_local_as", "bgp_peer_as", "bgp_neighbor", "bgp_router_id", "bgp_hold_time",
                "bgp_device", "bird_config", "bird_socket", "director_peers");
        if (g.directorMode() != DirectorMode.ACTIVE_ACTIVE) {
            for (String key : bgp) {
                if (g.isSet(key)) warn(g, key, key + " is used only with director_mode = active_active: ignored");
            }
            return;
        }
        for (String key : List.of("bgp_local_as", "bgp_peer_as", "bgp_neighbor")) {
            if (!g.isSet(key)) {
                error(g, "director_mode", "director_mode = active_active needs " + key
                        + ": the VIPs are announced to the router with BGP");
            }
        }
        if (g.service() == ServiceMode.FOS) {
            error(g, "director_mode", "director_mode = active_active runs virtual services: it cannot be combined with service = fos");
        }
        String device = (String) g.value("bgp_device");
        if (device != null && !device.matches("[A-Za-z0-9_.-]{1,15}")) {
            error(g, "bgp_device", "bgp_device '" + device + "' must be a device name (up to 15 letters, digits, '.', '_', '-')");
        }
        for (String key : List.of("bird_config", "bird_socket")) {
            Object v = g.value(key);
            if (v != null && !((String) v).startsWith("/")) error(g, key, key + " must be an absolute path");
        }
        List<Host> peers = g.directorPeers();
        for (Host h : peers) {
            if (!(h.address() instanceof java.net.Inet4Address)) {
                error(g, "director_peers", "director_peers: " + h.ip()
                        + " is IPv6: the directors hand IPv4 flows to each other; give their IPv4 addresses");
            }
        }
        if (g.isSet("director_peers") && peers.size() < 2) {
            error(g, "director_peers", "director_peers names every director, this one included: at least two addresses");
        } else if (peers.size() > MAX_DIRECTOR_PEERS) {
            error(g, "director_peers", "director_peers: " + peers.size() + " addresses; at most " + MAX_DIRECTOR_PEERS
                    + " (a handed packet's hop count is carried in its TTL)");
        }
        if (!peers.isEmpty() && g.backend() == piranha.lvscf.model.Backend.IPVSADM) {
            warn(g, "director_peers", "director_peers: the kernel's IPVS (backend = ipvsadm) continues a moved connection"
                    + " itself (mh, net.ipv4.vs.sloppy_tcp = 1): handing it to another director only adds hops");
        }
        for (VirtualService v : config.activeVirtuals()) {
            String s = v.scheduler().keyword();
            if (!s.equals("sh") && !s.equals("dh") && !s.equals("mh")) {
                String why = "virtual '" + v.name() + "': scheduler " + s
                        + " chooses differently on each director: with director_mode = active_active a flow moved to"
                        + " another director reaches another real server; use a hashing scheduler (sh, mh)";
                warnAt(v.isSet("scheduler") ? v.position("scheduler") : v.header(), "scheduler", why);
            }
        }
    }

    private void heartbeat(Globals g) {
        if (g.backupActive()) {
            if (g.backup().isEmpty()) {
                warn(g, "backup_active", "backup_active = 1 but no backup address is set: pulse runs as a lone primary");
            } else if (g.primary().isPresent() && g.primary().get().address().equals(g.backup().get().address())) {
                error(g, "backup", "backup is the same address as primary (" + g.primary().get().ip()
                        + "): both directors would think they are primary and stay active together");
            }
            if (g.deadtime().compareTo(g.keepalive()) <= 0) {
                error(g, g.isSet("deadtime") ? "deadtime" : "keepalive", "deadtime (" + seconds(g.deadtime()) + " s) must be longer than keepalive ("
                        + seconds(g.keepalive()) + " s), or the partner is declared dead between two heartbeats");
            }
        }
        if (g.isSet("primary_private") && g.isSet("backup_active") && g.backupActive()
                && !g.isSet("backup_private")) {
            warn(g, "primary_private", "primary_private is set but backup_private is not: the private heartbeat path has no partner address");
        }
        if (g.isSet("syncd_id") && (int) g.value("syncd_id") != g.syncdId()) {
            warn(g, "syncd_id", "syncd_id " + g.value("syncd_id") + " is taken modulo 256 (" + g.syncdId() + ")");
        }
    }

    /** The directors talk over one family per path; nat_router's mask must fit its address. */
    private void families(Globals g) {
        if (g.primary().isPresent() && g.backup().isPresent() && !g.backup().get().isUnspecified()
                && g.primary().get().isIpv6() != g.backup().get().isIpv6()) {
            error(g, "backup", "backup " + g.backup().get().text() + " and primary " + g.primary().get().text()
                    + " are of different address families: the heartbeat cannot reach the partner");
        }
        Object pp = g.value("primary_private");
        Object bp = g.value("backup_private");
        if (pp instanceof Host p && bp instanceof Host b && p.isIpv6() != b.isIpv6()) {
            error(g, "backup_private", "backup_private " + b.text() + " and primary_private " + p.text()
                    + " are of different address families: the private heartbeat cannot reach the partner");
        }
        g.natRouter().ifPresent(n -> mask(g, "nat_nmask", "", n.isIpv6()));
    }

    private void mask(Section s, String key, String owner, boolean ipv6) {
        Object m = s.value(key);
        if (ipv6 && m instanceof java.net.Inet4Address a && !a.isAnyLocalAddress()) {
            error(s, key, owner + key + " " + a.getHostAddress() + " is a dotted IPv4 netmask but the address is IPv6: write a prefix length such as 64");
        } else if (!ipv6 && m instanceof PrefixLength p && p.bits() > 32) {
            error(s, key, owner + key + " " + p.bits() + " is longer than an IPv4 address (at most 32)");
        }
    }

    private void commands(Globals g) {
        List<String> keys = new java.util.ArrayList<>(List.of("active_cmd", "inactive_cmd"));
        piranha.lvscf.keys.Keys.NOTIFY_KINDS.forEach(k -> keys.add("notify_" + k));
        for (String key : keys) {
            Object v = g.value(key);
            if (v != null && !firstWord((String) v).startsWith("/")) {
                error(g, key, key + " must start with an absolute path: it is run without a shell");
            }
        }
    }

    private void service(Network network, VirtualService v) {
        String name = "virtual '" + v.name() + "'";
        if (v.timeout() < 1) {
            error(v, "timeout", name + ": timeout must be at least 1 second");
        }
        if (v.active() && v.address().isEmpty()) {
            errorAt(v.header(), "address", name + " is active but has no address (write address = IP DEVICE)");
        }
        v.address().ifPresent(a -> {
            if (!a.isAlias()) {
                warn(v, "address", name + ": the virtual IP is on the base device " + a.device()
                        + "; an alias such as " + a.device() + ":1 is expected (the address is added with that label)");
            }
        });
        boolean v6 = v.address().map(AddressDevice::isIpv6).orElse(false);
        v.address().ifPresent(a -> mask(v, "vip_nmask", name + ": ", a.isIpv6()));
        if (v.address().isPresent()) {
            mask(v, "pmask", name + ": ", v6);
            v.sorryServer().ifPresent(a -> {
                if ((a instanceof java.net.Inet6Address) != v6 && network != Network.TUNNEL) {
                    error(v, "sorry_server", name + ": sorry_server " + Values.text(a) + " is " + family(!v6)
                            + " but the virtual address is " + family(v6)
                            + "; IPVS mixes families only with network = tunnel");
                }
            });
        }
        v.sendProgram().ifPresent(p -> {
            if (!firstWord(p).startsWith("/")) {
                warn(v, "send_program", name + ": send_program '" + firstWord(p) + "' is not an absolute path; it is looked up in PATH");
            }
            if (v.isSet("send")) {
                warn(v, "send", name + ": send is ignored because send_program is set");
            }
        });
        CheckRules.service(v, name, (s, key, m) -> error(s, key, m), (s, key, m) -> warn(s, key, m));
        if (v.isSet("pmask") && v.persistent() <= 0) {
            warn(v, "pmask", name + ": pmask has no effect without persistent");
        }
        if (v.active() && v.activeServers().isEmpty() && v.sorryServer().isEmpty()) {
            warnAt(v.header(), null, name + " is active but has no active real server");
        }
        Map<String, RealServer> seen = new HashMap<>();
        for (RealServer s : v.servers()) {
            String where = name + ", server '" + s.name() + "'";
            if (s.active() && s.address().isUnspecified()) {
                errorAt(s.header(), "address", where + " is active but has no address");
            }
            if (v.address().isPresent() && !s.address().isUnspecified() && s.address().isIpv6() != v6
                    && network != Network.TUNNEL) {
                error(s, "address", where + ": " + s.address().text() + " is " + family(!v6)
                        + " but the virtual address is " + family(v6)
                        + "; IPVS mixes families only with network = tunnel");
            }
            if (network != Network.NAT && s.port() != v.port() && v.fwmark() == 0) {
                warn(s, "port", where + ": port " + s.port() + " differs from the virtual port " + v.port()
                        + "; with network = " + network.keyword() + " the real server receives port " + v.port());
            }
            RealServer first = s.active() ? seen.putIfAbsent(s.endpoint(), s) : null;
            if (first != null) {
                warnAt(s.header(), null, where + " duplicates " + s.endpoint() + " (server '" + first.name()
                        + "' at line " + first.header().line() + "); it is checked and programmed once");
            }
        }
    }

    private static String family(boolean ipv6) {
        return ipv6 ? "IPv6" : "IPv4";
    }

    private static String firstWord(String s) {
        String t = s.strip();
        int blank = t.indexOf(' ');
        return blank < 0 ? t : t.substring(0, blank);
    }

    private static String seconds(java.time.Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0);
    }

    private void error(Section s, String key, String message) {
        at(s.position(key), Severity.ERROR, key, message);
    }

    private void warn(Section s, String key, String message) {
        at(s.position(key), Severity.WARNING, key, message);
    }

    private void errorAt(Position p, String key, String message) {
        at(p, Severity.ERROR, key, message);
    }

    private void warnAt(Position p, String key, String message) {
        at(p, Severity.WARNING, key, message);
    }

    private void at(Position p, Severity severity, String key, String message) {
        int line = p == Position.NONE ? 1 : p.line();
        int column = p == Position.NONE ? 1 : p.column();
        out.add(new Diagnostic(file, line, column, severity, key, message));
    }

}
