package piranha.lvscf.model;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.OptionalInt;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import piranha.lvscf.keys.Scope;

/** A {@code virtual NAME {} (or legacy {@code failover NAME {}) block with its real servers. */
public final class VirtualService extends Section {
    private static final long ALL_ONES = 0xFFFF_FFFFL;

    private final String kind;
    private final String name;
    private final List<RealServer> servers;
    private final Position header;

    public VirtualService(String kind, String name, Map<String, Object> values, Map<String, Position> positions,
            List<RealServer> servers, Position header) {
        super(Scope.VIRTUAL, values, positions);
        this.kind = kind;
        this.name = name;
        this.servers = List.copyOf(servers);
        this.header = header;
    }

    /** {@code virtual} or {@code failover}. */
    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    public Position header() {
        return header;
    }

    public List<RealServer> servers() {
        return servers;
    }

    public List<RealServer> activeServers() {
        return servers.stream().filter(RealServer::active).toList();
    }

    public boolean active() {
        return get("active", Boolean.class);
    }

    public Optional<AddressDevice> address() {
        return Optional.ofNullable(get("address", AddressDevice.class));
    }

    /** The VIP's netmask when written as a dotted IPv4 netmask. */
    public Optional<Inet4Address> vipNmask() {
        return Globals.dottedMask(value("vip_nmask"));
    }

    /** The VIP's prefix length, from a dotted netmask or a prefix length; empty when unspecified. */
    public OptionalInt vipPrefix() {
        return Globals.prefix(value("vip_nmask"));
    }

    public int port() {
        return get("port", Integer.class);
    }

    public Protocol protocol() {
        return get("protocol", Protocol.class);
    }

    /** The firewall mark, 0 when the service is VIP:port. */
    public int fwmark() {
        return get("fwmark", Integer.class);
    }

    public Scheduler scheduler() {
        return get("scheduler", Scheduler.class);
    }

    /** ipvsadm's {@code -b} flags from mh_fallback and mh_port (scheduler = mh only). */
    public java.util.Set<String> schedulerFlags() {
        java.util.Set<String> flags = new java.util.TreeSet<>();
        if (scheduler() == Scheduler.MH) {
            if (Boolean.TRUE.equals(get("mh_fallback", Boolean.class))) flags.add("mh-fallback");
            if (Boolean.TRUE.equals(get("mh_port", Boolean.class))) flags.add("mh-port");
        }
        return flags;
    }

    public int persistent() {
        return get("persistent", Integer.class);
    }

    /**
     * The persistence netmask, only when persistence is on; 0.0.0.0 and 255.255.255.255 both
     * mean none, as in Piranha.
     */
    public Optional<Inet4Address> pmask() {
        Object v = value("pmask");
        if (v instanceof PrefixLength p && p.bits() <= 32 && !address().map(AddressDevice::isIpv6).orElse(false)) {
            v = Values.ipv4(p.bits() == 0 ? 0 : (0xFFFF_FFFFL << (32 - p.bits())) & 0xFFFF_FFFFL);
        }
        Inet4Address m = v instanceof Inet4Address a ? a : null;
        if (m == null || persistent() <= 0 || Values.toLong(m) == ALL_ONES || m.isAnyLocalAddress()) {
            return Optional.empty();
        }
        return Optional.of(m);
    }

    /**
     * The persistence prefix length of an IPv6 service ({@code pmask = 64}, as {@code ipvsadm -M 64});
     * empty without persistence, for IPv4 services (see {@link #pmask}) and for 128 (none).
     */
    public OptionalInt pmaskPrefix() {
        Object v = value("pmask");
        if (persistent() <= 0 || !(v instanceof PrefixLength p) || p.bits() == 0 || p.bits() >= 128
                || !address().map(AddressDevice::isIpv6).orElse(false)) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(p.bits());
    }

    public Optional<InetAddress> sorryServer() {
        return Globals.nonZero(get("sorry_server", InetAddress.class));
    }

    /** vip_group (extension): the group whose heartbeat moves this service's VIP; empty: the pair's own. */
    public Optional<String> vipGroup() {
        return Optional.ofNullable((String) value("vip_group"));
    }

    public Optional<String> send() {
        return Optional.ofNullable(get("send", String.class));
    }

    public Optional<String> expect() {
        return Optional.ofNullable(get("expect", String.class));
    }

    public boolean useRegex() {
        return get("use_regex", Boolean.class);
    }

    public Optional<String> sendProgram() {
        return Optional.ofNullable(get("send_program", String.class));
    }

    /** Seconds between checks and each check's deadline. */
    public int timeout() {
        return get("timeout", Integer.class);
    }

    public int reentry() {
        return get("reentry", Integer.class);
    }

    public boolean quiesceServer() {
        return get("quiesce_server", Boolean.class);
    }

    /** {@code none}, {@code rup}, {@code ruptime}, {@code uptime} or a command. */
    public String loadMonitor() {
        return get("load_monitor", String.class);
    }

    /** How ipvsadm names the service: {@code -t VIP:PORT}, {@code -u VIP:PORT} or {@code -f MARK}. */
    public String ipvsService() {
        if (fwmark() != 0) {
            return "-f " + fwmark();
        }
        String vip = address().map(a -> a.address().getHostAddress()).orElse("0.0.0.0");
        return (protocol() == Protocol.UDP ? "-u " : "-t ") + vip + ":" + port();
    }

    @Override
    protected boolean sameBlock(Section other) {
        VirtualService v = (VirtualService) other;
        return kind.equals(v.kind) && name.equals(v.name) && servers.equals(v.servers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), kind, name, servers);
    }

    @Override
    public String toString() {
        return kind + " " + name + explicitValues() + servers;
    }
}
