package piranha.lvsd;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

import piranha.daemon.ScriptUser;
import piranha.dataplane.Addresses;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.ServiceSpec;
import piranha.dataplane.Timeouts;
import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.LvsConfig;
import piranha.lvscf.model.Network;
import piranha.lvscf.model.Protocol;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.StatusCodes;
import piranha.lvscf.model.VirtualService;
import piranha.lvsd.table.TableOp;
import piranha.nanny.NannyConfig;
import piranha.nanny.check.CheckSpec;

/**
 * What lvs.cf asks of the table: the active virtual services, each with its active real servers
 * and how to check them. A service declared twice (same VIP, protocol and port, or fwmark) is
 * planned once, from its first declaration; so is a real server listed twice in one service.
 */
public record Plan(List<Service> services, TableOp.SetTimeouts timeouts, Set<ServiceKey> declared) {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    /** A real server: its place in the table at its configured weight, and its nanny's settings. */
    public record Server(String name, ServerId id, DestinationSpec destination, NannyConfig check) {}

    /** A virtual service and its real servers. */
    public record Service(String name, ServiceSpec spec, Protocol protocol, String vip, int port, Network method,
            Optional<String> sorryServer, Map<ServerId, Server> servers) {

        /** The sorry server as a destination: weight 1, the virtual port, the global method. */
        public Optional<DestinationSpec> sorryDestination() {
            return sorryServer.map(ip -> destination(ip, port, method, 1));
        }
    }

    public Service service(ServiceKey key) {
        for (Service s : services) {
            if (s.spec().key().equals(key)) {
                return s;
            }
        }
        return null;
    }

    /** The services by their identity in the table. */
    public Map<ServiceKey, Service> byKey() {
        Map<ServiceKey, Service> m = new HashMap<>(services.size() * 2);
        services.forEach(s -> m.put(s.spec().key(), s));
        return m;
    }

    public Map<ServerId, Server> servers() {
        Map<ServerId, Server> all = new LinkedHashMap<>();
        services.forEach(s -> all.putAll(s.servers()));
        return all;
    }

    public static Plan from(LvsConfig config) {
        return from(config, Map.of(), new IdentityHashMap<>());
    }

    /**
     * The plan of {@code config}, taking the service planned for a block from {@code reuse} when
     * it holds that very block (a re-read keeps the model of blocks whose text did not change);
     * each block's service is put into {@code planned}.
     */
    static Plan from(LvsConfig config, Map<VirtualService, Service> reuse, Map<VirtualService, Service> planned) {
        Globals g = config.globals();
        List<Service> services = new ArrayList<>();
        Set<ServiceKey> declared = new LinkedHashSet<>();
        Set<ServiceKey> keys = new HashSet<>();
        for (VirtualService v : config.virtuals()) {
            if (v.address().isEmpty() && v.fwmark() == 0) {
                continue;
            }
            ServiceKey key = key(v);
            declared.add(key);
            if (!v.active() || !keys.add(key)) {
                continue;
            }
            Service s = reuse.get(v);
            if (s == null) {
                s = service(g, v, key);
            }
            planned.put(v, s);
            services.add(s);
        }
        return new Plan(List.copyOf(services),
                new TableOp.SetTimeouts(new Timeouts(g.tcpTimeout(), g.tcpfinTimeout(), g.udpTimeout())), Set.copyOf(declared));
    }

    /** What the service of one block is: it depends on the block and on the globals {@link #sameBasis} compares. */
    private static Service service(Globals g, VirtualService v, ServiceKey key) {
        Map<ServerId, Server> servers = new LinkedHashMap<>();
        for (RealServer rs : v.activeServers()) {
            ServerId id = new ServerId(key, rs.endpoint());
            if (servers.containsKey(id)) {
                continue;
            }
            try {
                DestinationSpec d = destination(rs.address().ip(), rs.port(), g.network(), rs.weight());
                servers.put(id, new Server(rs.name(), id, d, check(g, v, rs)));
            } catch (IllegalArgumentException e) {
                LOG.warning(() -> "virtual " + v.name() + ", server " + rs.name() + ": cannot be checked ("
                        + e.getMessage() + "); left out of the table");
            }
        }
        InetAddress pmask = v.pmaskPrefix().isPresent() ? Addresses.netmask(v.pmaskPrefix().getAsInt(), 16) : v.pmask().orElse(null);
        ServiceSpec spec = new ServiceSpec(key, v.scheduler().keyword(), v.persistent(), pmask, key.fwmark(), v.schedulerFlags());
        String vip = v.address().map(a -> Addresses.text(a.address())).orElse("0.0.0.0");
        return new Service(v.name(), spec, v.protocol(), vip, v.port(), g.network(),
                v.sorryServer().map(Addresses::text), servers);
    }

    /** Whether two globals plan every block the same way (the forwarding method, the rsh command, script_user). */
    static boolean sameBasis(Globals a, Globals b) {
        return a.network() == b.network() && a.rshCommand().equals(b.rshCommand()) && a.scriptUser().equals(b.scriptUser());
    }

    /** Who runs check programs; an unknown user or a missing setpriv leaves the server unchecked, with the reason. */
    private static ScriptUser scriptUser(Globals g) {
        try {
            return ScriptUser.of(g.scriptUser().orElse(null));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static ServiceKey key(VirtualService v) {
        if (v.fwmark() != 0) {
            return ServiceKey.fwmark(v.fwmark());
        }
        InetAddress vip = v.address().get().address();
        return v.protocol() == Protocol.UDP ? ServiceKey.udp(vip, v.port()) : ServiceKey.tcp(vip, v.port());
    }

    /** A real server (or sorry server) in the table: its lvs.cf address, port, the global method, a weight. */
    static DestinationSpec destination(String ip, int port, Network method, int weight) {
        return new DestinationSpec(new InetSocketAddress(Addresses.parseAddress(ip), port), weight, forwarding(method), false);
    }

    /** lvs.cf's {@code network} as IPVS's forwarding method. */
    static ForwardingMethod forwarding(Network n) {
        return switch (n) {
            case NAT -> ForwardingMethod.MASQ;
            case DIRECT -> ForwardingMethod.ROUTE;
            case TUNNEL -> ForwardingMethod.TUNNEL;
        };
    }

    /** The nanny settings Piranha's lvsd put on nanny's command line (reference §4.4). */
    static NannyConfig check(Globals g, VirtualService v, RealServer rs) {
        String load = v.loadMonitor();
        if (load.equals("uptime")) {
            load = g.rshCommand();
        }
        return NannyConfig.builder(rs.address().ip(), v.port())
                .rport(rs.port())
                .vip(v.address().map(a -> Addresses.text(a.address())).orElse("0.0.0.0"))
                .fwmark(v.fwmark())
                .protocol(v.protocol() == Protocol.UDP ? NannyConfig.Protocol.UDP : NannyConfig.Protocol.TCP)
                .send(v.send().orElse(null))
                .expect(v.expect().orElse(null))
                .useRegex(v.useRegex())
                .sendProgram(v.sendProgram().orElse(null))
                .timeout(v.timeout())
                .reentry(v.reentry())
                .quiesceServer(v.quiesceServer())
                .loadMonitor(load.equals("none") ? null : load)
                .weight(rs.weight())
                .interval(v.isSet("interval") ? (Integer) v.value("interval") : 0)
                .fall((Integer) v.value("fall"))
                .rise(v.isSet("rise") ? (Integer) v.value("rise") : -1)
                .runAs(scriptUser(g))
                .check(checkSpec(v))
                .method(switch (g.network()) {
                    case NAT -> NannyConfig.Method.NAT;
                    case DIRECT -> NannyConfig.Method.DIRECT;
                    case TUNNEL -> NannyConfig.Method.TUNNEL;
                })
                .build();
    }

    /**
     * The {@code check} key and the keys its kind reads; those of other kinds are left out, so that
     * services that differ only in keys their check ignores still share one probe.
     */
    static CheckSpec checkSpec(VirtualService v) {
        if (!v.isSet("check")) {
            return null;
        }
        CheckKind kind = (CheckKind) v.value("check");
        CheckSpec spec = CheckSpec.of(kind);
        if (kind == CheckKind.HTTP || kind == CheckKind.HTTPS) {
            spec = spec.withHttp(new CheckSpec.Http((String) v.value("http_method"), (String) v.value("http_path"),
                    (String) v.value("http_host"), (StatusCodes) v.value("http_status"), (String) v.value("http_expect"),
                    (String) v.value("http_digest"), (Integer) v.value("http_redirects"),
                    (Boolean) v.value("http_keepalive")));
        }
        if (kind == CheckKind.HTTPS) {
            spec = spec.withTls(new CheckSpec.Tls((String) v.value("tls_sni"), (String) v.value("tls_ca"),
                    (Boolean) v.value("tls_verify"), (String) v.value("tls_cert"), (String) v.value("tls_key")));
        }
        if (kind == CheckKind.DNS) {
            spec = spec.withDns(new CheckSpec.Dns((String) v.value("dns_name"), (String) v.value("dns_type"),
                    (String) v.value("dns_expect")));
        }
        if (kind == CheckKind.SMTP) {
            spec = spec.withSmtpHelo((String) v.value("smtp_helo"));
        }
        if (kind == CheckKind.SCRIPT) {
            spec = spec.withScript(new CheckSpec.Script((String) v.value("check_script"),
                    (String) v.value("check_script_user")));
        }
        return spec;
    }
}
