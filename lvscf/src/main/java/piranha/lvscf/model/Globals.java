package piranha.lvscf.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.OptionalInt;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import piranha.lvscf.keys.Scope;

/** The top-level settings, with Piranha's defaults and implicit rules applied by the accessors. */
public final class Globals extends Section {

    public Globals(Map<String, Object> values, Map<String, Position> positions) {
        super(Scope.GLOBAL, values, positions);
    }

    public int serialNo() {
        return get("serial_no", Integer.class);
    }

    public ServiceMode service() {
        return get("service", ServiceMode.class);
    }

    public Optional<Host> primary() {
        return Optional.ofNullable(get("primary", Host.class));
    }

    /** {@code primary_private}, or {@code primary} when only the primary is given (Piranha's rule). */
    public Optional<Host> primaryPrivate() {
        Host h = get("primary_private", Host.class);
        return h != null ? Optional.of(h) : primary();
    }

    /** The backup's public address; empty when absent or 0.0.0.0. */
    public Optional<Host> backup() {
        Host h = get("backup", Host.class);
        return h == null || h.isUnspecified() ? Optional.empty() : Optional.of(h);
    }

    public boolean backupActive() {
        return get("backup_active", Boolean.class);
    }

    /**
     * {@code backup_private}; when {@code primary} is given and {@code primary_private} is not,
     * Piranha copied {@code backup} into it.
     */
    public Optional<Host> backupPrivate() {
        Host h = get("backup_private", Host.class);
        if (h != null) {
            return Optional.of(h);
        }
        return primary().isPresent() && !isSet("primary_private") ? backup() : Optional.empty();
    }

    public int heartbeatPort() {
        return get("heartbeat_port", Integer.class);
    }

    public Duration keepalive() {
        return get("keepalive", Duration.class);
    }

    public Duration deadtime() {
        return get("deadtime", Duration.class);
    }

    public Network network() {
        return get("network", Network.class);
    }

    public Optional<AddressDevice> natRouter() {
        return Optional.ofNullable(get("nat_router", AddressDevice.class));
    }

    /** {@code nat_nmask}; 0.0.0.0 means unspecified. */
    /** nat_router's netmask when written as a dotted IPv4 netmask. */
    public Optional<Inet4Address> natNmask() {
        return dottedMask(value("nat_nmask"));
    }

    /** nat_router's prefix length, from a dotted netmask or a prefix length; empty when unspecified. */
    public OptionalInt natPrefix() {
        return prefix(value("nat_nmask"));
    }

    public Optional<String> activeCmd() {
        return Optional.ofNullable(get("active_cmd", String.class));
    }

    public Optional<String> inactiveCmd() {
        return Optional.ofNullable(get("inactive_cmd", String.class));
    }

    /** {@code script_user}: who runs the hooks and check programs; empty means the daemon's user. */
    public Optional<String> scriptUser() {
        return Optional.ofNullable(get("script_user", String.class));
    }

    public boolean monitorLinks() {
        return get("monitor_links", Integer.class) != 0;
    }

    public boolean syncdaemon() {
        return get("syncdaemon", Boolean.class);
    }

    public String syncdIface() {
        return get("syncd_iface", String.class);
    }

    /** {@code syncd_id}, masked to 0..255 as Piranha did. */
    public int syncdId() {
        return get("syncd_id", Integer.class) & 0xFF;
    }

    public int tcpTimeout() {
        return get("tcp_timeout", Integer.class);
    }

    public int tcpfinTimeout() {
        return get("tcpfin_timeout", Integer.class);
    }

    public int udpTimeout() {
        return get("udp_timeout", Integer.class);
    }

    public boolean hardShutdown() {
        return get("hard_shutdown", Boolean.class);
    }

    public String rshCommand() {
        return get("rsh_command", String.class);
    }

    public String ipvsadm() {
        return get("ipvsadm", String.class);
    }

    public Backend backend() {
        return get("backend", Backend.class);
    }

    /** director_mode: a primary/backup pair (Piranha) or active-active directors behind ECMP. */
    public DirectorMode directorMode() {
        return get("director_mode", DirectorMode.class);
    }

    /** bgp_neighbor: the routers the VIPs are announced to; empty when unset. */
    @SuppressWarnings("unchecked")
    public java.util.List<Host> bgpNeighbors() {
        java.util.List<Host> v = (java.util.List<Host>) value("bgp_neighbor");
        return v == null ? java.util.List.of() : v;
    }

    /** director_peers: every active-active director's address (this one's included); empty when unset. */
    @SuppressWarnings("unchecked")
    public java.util.List<Host> directorPeers() {
        java.util.List<Host> v = (java.util.List<Host>) value("director_peers");
        return v == null ? java.util.List.of() : v;
    }

    /** pulse_metrics: where pulse serves Prometheus metrics. */
    public Listen pulseMetrics() {
        return get("pulse_metrics", Listen.class);
    }

    /** lvsd_metrics: where lvsd serves Prometheus metrics. */
    public Listen lvsdMetrics() {
        return get("lvsd_metrics", Listen.class);
    }

    /** drain_timeout: how long a real server removed by a reload may keep its connections. */
    public java.time.Duration drainTimeout() {
        return get("drain_timeout", java.time.Duration.class);
    }

    /** The notify_KIND programs that are set, by event kind (notify_director → director). */
    public java.util.Map<String, String> notifyPrograms() {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String kind : piranha.lvscf.keys.Keys.NOTIFY_KINDS) {
            Object v = value("notify_" + kind);
            if (v instanceof String cmd && !cmd.isBlank()) {
                out.put(kind, cmd);
            }
        }
        return out;
    }

    /** notify_timeout: a notify program is killed after this long. */
    public java.time.Duration notifyTimeout() {
        return get("notify_timeout", java.time.Duration.class);
    }

    static <A extends InetAddress> Optional<A> nonZero(A a) {
        return a == null || a.isAnyLocalAddress() ? Optional.empty() : Optional.of(a);
    }

    static Optional<Inet4Address> dottedMask(Object value) {
        return value instanceof Inet4Address a ? nonZero(a) : Optional.empty();
    }

    /** A mask key's prefix length; 0.0.0.0 and a prefix length of 0 both mean unspecified. */
    static OptionalInt prefix(Object value) {
        if (value instanceof PrefixLength p) {
            return p.bits() == 0 ? OptionalInt.empty() : OptionalInt.of(p.bits());
        }
        if (value instanceof Inet4Address a && !a.isAnyLocalAddress()) {
            return OptionalInt.of(Long.bitCount(Values.toLong(a)));
        }
        return OptionalInt.empty();
    }
}
