package piranha.lvsd.backend.userspace;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import piranha.dataplane.Addresses;
import piranha.dataplane.Dataplane;
import piranha.dataplane.DataplaneOptions;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.IpvsOperations;
import piranha.dataplane.IpvsadmArgs;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.ServiceSpec;
import piranha.dataplane.ServiceStats;
import piranha.dataplane.Timeouts;
import piranha.lvsd.backend.InOrder;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;

/**
 * The user-space data plane as lvsd's table: each change is carried out by the Dataplane
 * operation of the same name. A firewall-mark service has no address of its own in IPVS; here it
 * listens on the virtual service's VIP:port (from the plan), which the data plane reports once.
 * The data plane also learns from the plan which destination is the sorry server.
 */
public final class UserspaceBackend implements TableBackend {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd.userspace");

    /** What the data plane needs from lvs.cf beyond the table: listening addresses and sorry servers. */
    public interface PlanLookup {
        /** Where the service listens: its own key, or for a firewall mark the VIP:port it stands for. */
        Optional<ServiceKey> listen(ServiceKey key);

        /** The sorry server's {@code IP:PORT} of a service, if it has one. */
        Optional<String> sorryServer(ServiceKey key);
    }

    private final Dataplane plane;
    private final PlanLookup plan;
    private final boolean testStart;
    /** Each service lvsd added, by its key in lvsd's table, as the data plane knows it. */
    private final Map<ServiceKey, ServiceKey> listening = new ConcurrentHashMap<>();
    /** The data plane's stats do not repeat the persistence mask; the last one set stands. */
    private final Map<ServiceKey, InetAddress> masks = new ConcurrentHashMap<>();
    /** The scheduler flags (mh-fallback, mh-port) each service was given: the plane's stats do not carry them. */
    private final Map<ServiceKey, java.util.Set<String>> schedulerFlags = new ConcurrentHashMap<>();
    private final IpvsOperations<Future<Void>> operations = new Operations();

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
        return InOrder.apply(ops, op -> one(op).recover(e -> Future.failedFuture(describe(op) + ": " + e.getMessage())));
    }

    private Future<Void> one(TableOp op) {
        if (testStart) {
            LOG.info(() -> "would do: " + describe(op));
            return Future.succeededFuture();
        }
        try {
            return op.on(operations);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e.getMessage());
        }
    }

    /** lvsd's table operations on the data plane, each service under the key it listens on. */
    private final class Operations implements IpvsOperations<Future<Void>> {
        @Override
        public Future<Void> addService(ServiceSpec spec) {
            ServiceKey k = plan.listen(spec.key())
                    .orElseThrow(() -> new IllegalArgumentException("no address to listen on for " + spec.key().ipvsadm()));
            return plane.addService(onPlane(k, spec)).onSuccess(x -> {
                listening.put(spec.key(), k);
                remember(spec);
            });
        }

        @Override
        public Future<Void> editService(ServiceSpec spec) {
            return plane.editService(onPlane(known(spec.key()), spec)).onSuccess(x -> remember(spec));
        }

        @Override
        public Future<Void> deleteService(ServiceKey key) {
            return plane.deleteService(known(key)).onSuccess(x -> {
                listening.remove(key);
                masks.remove(key);
                schedulerFlags.remove(key);
            });
        }

        @Override
        public Future<Void> addDestination(ServiceKey key, DestinationSpec d) {
            return plane.addDestination(known(key), marked(key, d));
        }

        @Override
        public Future<Void> editDestination(ServiceKey key, DestinationSpec d) {
            return plane.editDestination(known(key), marked(key, d));
        }

        @Override
        public Future<Void> deleteDestination(ServiceKey key, InetSocketAddress address) {
            return plane.deleteDestination(known(key), address);
        }

        @Override
        public Future<Void> setTimeouts(Timeouts t) {
            return plane.setTimeouts(t);
        }
    }

    private void remember(ServiceSpec s) {
        schedulerFlags.put(s.key(), s.schedulerFlags());
        if (s.pmask() == null) {
            masks.remove(s.key());
        } else {
            masks.put(s.key(), s.pmask());
        }
    }

    /** The key the data plane knows a service by (the listening one, once added). */
    private ServiceKey known(ServiceKey k) {
        ServiceKey d = listening.get(k);
        return d != null ? d : plan.listen(k).orElse(k);
    }

    /** The spec of lvsd's table under the listening key; the firewall mark stays in it. */
    private static ServiceSpec onPlane(ServiceKey listen, ServiceSpec s) {
        return new ServiceSpec(listen, s.scheduler(), s.persistentSeconds(), s.pmask(), s.key().fwmark(), s.schedulerFlags());
    }

    /** The destination, marked as the sorry server when the plan says it is one. */
    private DestinationSpec marked(ServiceKey service, DestinationSpec d) {
        boolean isSorry = plan.sorryServer(service).map(d.endpoint()::equals).orElse(false);
        return new DestinationSpec(d.address(), d.weight(), d.method(), isSorry);
    }

    private static String describe(TableOp op) {
        return "userspace " + IpvsadmArgs.line(op.on(IpvsadmArgs.INSTANCE));
    }

    @Override
    public Future<Table> read() {
        return plane.stats().map(all -> {
            Map<ServiceKey, ServiceKey> back = back();
            Table.Builder b = new Table.Builder();
            for (ServiceStats s : all) {
                ServiceKey k = back.get(s.key());
                if (k == null) {
                    continue;
                }
                b.service(new ServiceSpec(k, s.scheduler(), s.persistentSeconds(), masks.get(k), k.fwmark(),
                        schedulerFlags.getOrDefault(k, java.util.Set.of())));
                for (DestinationStats d : s.destinations()) {
                    // lvsd's table has no sorry flag: which destination is the sorry server is the plan's
                    b.destination(k, new DestinationSpec(d.address(), d.weight(), d.method(), false));
                }
            }
            return b.build();
        });
    }

    @Override
    public Future<Map<ServiceKey, Map<String, DestinationStats>>> stats() {
        return plane.stats().map(all -> {
            Map<ServiceKey, ServiceKey> back = back();
            Map<ServiceKey, Map<String, DestinationStats>> out = new LinkedHashMap<>();
            for (ServiceStats s : all) {
                ServiceKey k = back.get(s.key());
                if (k == null) {
                    continue;
                }
                Map<String, DestinationStats> m = new LinkedHashMap<>();
                for (DestinationStats d : s.destinations()) {
                    m.put(endpoint(d.address()), d);
                }
                out.put(k, m);
            }
            return out;
        });
    }

    /** lvsd's keys by the data plane's. */
    private Map<ServiceKey, ServiceKey> back() {
        Map<ServiceKey, ServiceKey> back = new LinkedHashMap<>();
        listening.forEach((k, v) -> back.put(v, k));
        return back;
    }

    private static String endpoint(InetSocketAddress a) {
        return Addresses.format(a);
    }

    @Override
    public Future<Void> close() {
        return plane.close();
    }
}
