package piranha.lvsd.backend.userspace;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import piranha.dataplane.Dataplane;
import piranha.dataplane.DataplaneOptions;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.ServiceStats;
import piranha.dataplane.Timeouts;
import piranha.lvscf.model.Network;
import piranha.lvscf.model.Protocol;
import piranha.lvscf.model.Scheduler;
import piranha.lvsd.backend.DestinationStats;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.Destination;
import piranha.lvsd.table.ServiceKey;
import piranha.lvsd.table.ServiceSpec;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;

/**
 * The user-space data plane as lvsd's table: each change becomes the Dataplane call of the same
 * ipvsadm shape. A firewall-mark service has no address of its own in IPVS; here it listens on
 * the virtual service's VIP:port ({@code listenFor}), which the data plane reports once.
 */
public final class UserspaceBackend implements TableBackend {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd.userspace");

    /** Where a service listens: protocol, VIP and port. */
    public record Listen(Protocol protocol, String vip, int port) {}

    /** What the data plane needs from lvs.cf beyond the table: listening addresses and sorry servers. */
    public interface PlanLookup {
        Optional<Listen> listen(ServiceKey key);

        /** The sorry server's {@code IP:PORT} of a service, if it has one. */
        Optional<String> sorryServer(ServiceKey key);
    }

    private final Dataplane plane;
    private final PlanLookup plan;
    private final boolean testStart;
    private final Map<ServiceKey, piranha.dataplane.ServiceKey> keys = new ConcurrentHashMap<>();
    private final Map<ServiceKey, String> masks = new ConcurrentHashMap<>();

    public UserspaceBackend(Vertx vertx, PlanLookup plan, boolean testStart) {
        this.plane = Dataplane.create(vertx, new DataplaneOptions());
        this.plan = plan;
        this.testStart = testStart;
    }

    @Override
    public String name() {
        return "userspace";
    }

    @Override
    public Future<Void> apply(List<TableOp> ops) {
        Future<Void> chain = Future.succeededFuture();
        for (TableOp op : ops) {
            chain = chain.compose(x -> one(op).recover(e -> Future.failedFuture(describe(op) + ": " + e.getMessage())));
        }
        return chain;
    }

    private Future<Void> one(TableOp op) {
        if (testStart) {
            LOG.info(() -> "would do: " + describe(op));
            return Future.succeededFuture();
        }
        try {
            if (op instanceof TableOp.AddService a) {
                piranha.dataplane.ServiceKey k = key(a.spec().key());
                return plane.addService(spec(k, a.spec())).onSuccess(x -> {
                    keys.put(a.spec().key(), k);
                    remember(a.spec());
                });
            } else if (op instanceof TableOp.EditService e) {
                return plane.editService(spec(known(e.spec().key()), e.spec())).onSuccess(x -> remember(e.spec()));
            } else if (op instanceof TableOp.DeleteService d) {
                return plane.deleteService(known(d.key())).onSuccess(x -> {
                    keys.remove(d.key());
                    masks.remove(d.key());
                });
            } else if (op instanceof TableOp.AddDestination a) {
                return plane.addDestination(known(a.service()), destination(a.service(), a.destination()));
            } else if (op instanceof TableOp.EditDestination e) {
                return plane.editDestination(known(e.service()), destination(e.service(), e.destination()));
            } else if (op instanceof TableOp.DeleteDestination d) {
                return plane.deleteDestination(known(d.service()), address(d.destination()));
            } else if (op instanceof TableOp.SetTimeouts t) {
                return plane.setTimeouts(new Timeouts(t.tcp(), t.tcpfin(), t.udp()));
            }
            return Future.failedFuture("unknown change " + op);
        } catch (IllegalArgumentException | UnknownHostException e) {
            return Future.failedFuture(e.getMessage());
        }
    }

    /** The data plane's stats do not repeat the persistence mask; the last one set stands. */
    private void remember(ServiceSpec s) {
        if (s.pmask() == null) {
            masks.remove(s.key());
        } else {
            masks.put(s.key(), s.pmask());
        }
    }

    private piranha.dataplane.ServiceKey key(ServiceKey k) throws UnknownHostException {
        Listen l = plan.listen(k).orElseThrow(() -> new IllegalArgumentException("no address to listen on for " + k));
        InetAddress vip = InetAddress.getByName(l.vip());
        return l.protocol() == Protocol.UDP ? piranha.dataplane.ServiceKey.udp(vip, l.port())
                : piranha.dataplane.ServiceKey.tcp(vip, l.port());
    }

    private piranha.dataplane.ServiceKey known(ServiceKey k) throws UnknownHostException {
        piranha.dataplane.ServiceKey d = keys.get(k);
        return d != null ? d : key(k);
    }

    private static piranha.dataplane.ServiceSpec spec(piranha.dataplane.ServiceKey k, ServiceSpec s) throws UnknownHostException {
        InetAddress mask = s.pmask() == null ? null : InetAddress.getByName(s.pmask());
        return new piranha.dataplane.ServiceSpec(k, s.scheduler().keyword(), s.persistent(), mask, s.key().fwmark());
    }

    private DestinationSpec destination(ServiceKey service, Destination d) throws UnknownHostException {
        boolean isSorry = plan.sorryServer(service).map(d.endpoint()::equals).orElse(false);
        return new DestinationSpec(address(d), d.weight(), method(d.method()), isSorry);
    }

    private static InetSocketAddress address(Destination d) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(d.address()), d.port());
    }

    private static ForwardingMethod method(Network n) {
        return switch (n) {
            case NAT -> ForwardingMethod.MASQ;
            case DIRECT -> ForwardingMethod.ROUTE;
            case TUNNEL -> ForwardingMethod.TUNNEL;
        };
    }

    private static Network network(ForwardingMethod m) {
        return switch (m) {
            case MASQ -> Network.NAT;
            case ROUTE -> Network.DIRECT;
            case TUNNEL -> Network.TUNNEL;
        };
    }

    private static String describe(TableOp op) {
        return "userspace " + piranha.lvsd.backend.ipvsadm.IpvsadmCommands.line(op);
    }

    @Override
    public Future<Table> read() {
        return plane.stats().map(all -> {
            Map<piranha.dataplane.ServiceKey, ServiceKey> back = new LinkedHashMap<>();
            keys.forEach((k, v) -> back.put(v, k));
            Table.Builder b = new Table.Builder();
            for (ServiceStats s : all) {
                ServiceKey k = back.get(s.key());
                if (k == null) {
                    continue;
                }
                b.service(new ServiceSpec(k, Scheduler.valueOf(s.scheduler().toUpperCase(java.util.Locale.ROOT)), s.persistentSeconds(), pmask(k)));
                for (piranha.dataplane.DestinationStats d : s.destinations()) {
                    b.destination(k, new Destination(d.address().getAddress().getHostAddress(), d.address().getPort(),
                            network(d.method()), d.weight()));
                }
            }
            return b.build();
        });
    }

    private String pmask(ServiceKey k) {
        return masks.get(k);
    }

    @Override
    public Future<Map<ServiceKey, Map<String, DestinationStats>>> stats() {
        return plane.stats().map(all -> {
            Map<piranha.dataplane.ServiceKey, ServiceKey> back = new LinkedHashMap<>();
            keys.forEach((k, v) -> back.put(v, k));
            Map<ServiceKey, Map<String, DestinationStats>> out = new LinkedHashMap<>();
            for (ServiceStats s : all) {
                ServiceKey k = back.get(s.key());
                if (k == null) {
                    continue;
                }
                Map<String, DestinationStats> m = new LinkedHashMap<>();
                for (piranha.dataplane.DestinationStats d : s.destinations()) {
                    m.put(d.address().getAddress().getHostAddress() + ":" + d.address().getPort(),
                            new DestinationStats(d.activeConns(), d.inactiveConns(), d.conns(), d.inBytes(), d.outBytes()));
                }
                out.put(k, m);
            }
            return out;
        });
    }

    @Override
    public Future<Void> close() {
        return plane.close();
    }
}
