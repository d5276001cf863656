package piranha.dataplane;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The user-space IPVS table: the operations of ipvsadm on services and destinations, carried out
 * by forwarding TCP connections and UDP flows on Vert.x's event loops. Every operation returns a
 * future and none blocks; table changes take a short lock, never across I/O.
 *
 * <pre>
 *   ipvsadm -A / -E / -D      addService / editService / deleteService
 *   ipvsadm -a / -e / -d      addDestination / editDestination / deleteDestination
 *   ipvsadm --set T F U       setTimeouts
 *   ipvsadm -L -n --stats     stats (text: {@link IpvsadmFormat})
 * </pre>
 */
public final class Dataplane implements IpvsOperations<Future<Void>> {
    private static final Logger LOG = Logger.getLogger(Dataplane.class.getName());

    private final Vertx vertx;
    private final DataplaneOptions options;
    private final Sockets sockets;
    private final ConnectionLimit limit;
    private final Map<ServiceKey, Service> services = new LinkedHashMap<>();
    private final Set<ForwardingMethod> reportedMethods = EnumSet.noneOf(ForwardingMethod.class);
    private final Set<ServiceKey> reportedFwmarks = new HashSet<>();
    private final long housekeeping;
    private volatile Timeouts timeouts;
    private boolean closed;

    private Dataplane(Vertx vertx, DataplaneOptions options) {
        this.vertx = vertx;
        this.options = new DataplaneOptions(options);
        this.sockets = new Sockets(vertx);
        this.limit = new ConnectionLimit(options.maxConnections());
        this.timeouts = options.timeouts();
        if (sockets.kind() != Sockets.Kind.OTHER) {
            LOG.info(() -> "forwarding on the " + sockets.kind().text + " transport" + DataplaneTransport.whyNotIoUring());
        } else {
            Throwable why = vertx.unavailableNativeTransportCause();
            LOG.warning("no native transport in use (" + (why == null ? "not preferred" : why.getMessage())
                    + "): forwarding with NIO, and a VIP this host does not hold cannot be bound");
        }
        this.housekeeping = vertx.setPeriodic(1000, id -> expire());
    }

    /**
     * A table on {@code vertx}'s event loops. Create the Vert.x instance with
     * {@link DataplaneTransport#vertx} to get io_uring (or epoll) and IP_FREEBIND.
     */
    public static Dataplane create(Vertx vertx, DataplaneOptions options) {
        return new Dataplane(vertx, options);
    }

    DataplaneOptions options() {
        return options;
    }

    Sockets sockets() {
        return sockets;
    }

    ConnectionLimit limit() {
        return limit;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    /** Whether listening sockets use IP_FREEBIND (a native transport: io_uring or epoll). */
    public boolean freebind() {
        return sockets.freebind();
    }

    /** Connections plus UDP flows open right now, over all services. */
    public int openConnections() {
        return limit.current();
    }

    /** New connections and flows refused because the cap was reached, since start. */
    public long refusedConnections() {
        return limit.refused();
    }

    private <T> Future<T> refuse(String message) {
        return sockets.failed(new DataplaneException(message));
    }

    /** {@code ipvsadm -A}: creates the service and starts listening on its VIP:port. */
    @Override
    public Future<Void> addService(ServiceSpec spec) {
        Service svc;
        Listener l;
        if (spec.key().isFwmark()) return refuse("a firewall-mark service has no VIP:port to listen on: give the one it stands for");
        synchronized (this) {
            if (closed) return refuse("table closed");
            if (services.containsKey(spec.key())) return refuse("Service already exists");
            try {
                svc = new Service(spec, options);
            } catch (IllegalArgumentException e) {
                return refuse(e.getMessage());
            }
            reportFwmark(spec);
            if (spec.key().protocol() == Protocol.UDP) l = new UdpListener(this, svc);
            else l = sockets.ringForwarding() ? new RingTcpListener(this, svc) : new TcpListener(this, svc);
            svc.setListener(l);
            services.put(spec.key(), svc);
        }
        return l.start().recover(e -> {
            synchronized (this) {
                services.remove(spec.key(), svc);
            }
            return l.close().transform(x -> sockets.failed(e));
        });
    }

    /** {@code ipvsadm -E}: scheduler and persistence of a running service. */
    @Override
    public Future<Void> editService(ServiceSpec spec) {
        synchronized (this) {
            Service svc = services.get(spec.key());
            if (svc == null) return refuse("No such service");
            try {
                svc.edit(spec);
            } catch (IllegalArgumentException e) {
                return refuse(e.getMessage());
            }
            reportFwmark(spec);
        }
        return sockets.succeeded();
    }

    /**
     * {@code ipvsadm -D}: stops listening. Open TCP connections continue unless expire_nodest_conn
     * is set; UDP flows end with the socket they reply through.
     */
    @Override
    public Future<Void> deleteService(ServiceKey key) {
        Service svc;
        synchronized (this) {
            svc = services.remove(key);
            if (svc == null) return refuse("No such service");
        }
        for (Destination d : svc.destinations()) {
            d.markRemoved();
            if (options.expireNodestConn()) expireAll(d);
        }
        return svc.listener().close();
    }

    /** {@code ipvsadm -a}: a real server (or, with {@code sorry}, the sorry server) joins the service. */
    @Override
    public Future<Void> addDestination(ServiceKey key, DestinationSpec spec) {
        synchronized (this) {
            Service svc = services.get(key);
            if (svc == null) return refuse("No such service");
            try {
                svc.add(spec);
            } catch (DataplaneException e) {
                return sockets.failed(e);
            }
            reportMethod(key, spec);
        }
        return sockets.succeeded();
    }

    /** {@code ipvsadm -e}: new weight (0 quiesces: no new connections, open ones go on) or method. */
    @Override
    public Future<Void> editDestination(ServiceKey key, DestinationSpec spec) {
        synchronized (this) {
            Service svc = services.get(key);
            if (svc == null) return refuse("No such service");
            try {
                svc.edit(spec);
            } catch (DataplaneException e) {
                return sockets.failed(e);
            }
            reportMethod(key, spec);
        }
        return sockets.succeeded();
    }

    /**
     * {@code ipvsadm -d}: no new connections to it; open ones continue (default) or are closed
     * when expire_nodest_conn is set.
     */
    @Override
    public Future<Void> deleteDestination(ServiceKey key, InetSocketAddress address) {
        Destination d;
        synchronized (this) {
            Service svc = services.get(key);
            if (svc == null) return refuse("No such service");
            try {
                d = svc.remove(address);
            } catch (DataplaneException e) {
                return sockets.failed(e);
            }
        }
        if (options.expireNodestConn()) expireAll(d);
        return sockets.succeeded();
    }

    /** {@code ipvsadm --set}: 0 leaves a value as it is. New values apply to new TCP connections and to all UDP flows. */
    @Override
    public Future<Void> setTimeouts(Timeouts t) {
        synchronized (this) {
            timeouts = t.over(timeouts);
        }
        return sockets.succeeded();
    }

    /** The connections and flows open to one destination now, or none (tests look into them). */
    synchronized Set<Forwarded> live(ServiceKey key, InetSocketAddress address) {
        Service svc = services.get(key);
        Destination d = svc == null ? null : svc.find(address);
        return d == null ? Set.of() : Set.copyOf(d.live);
    }

    /** {@code ipvsadm -L -n --stats}, services in the order they were added. */
    public Future<List<ServiceStats>> stats() {
        List<Service> list;
        synchronized (this) {
            list = new ArrayList<>(services.values());
        }
        List<ServiceStats> out = new ArrayList<>();
        for (Service s : list) out.add(s.stats());
        return sockets.succeeded(List.copyOf(out));
    }

    /** Removes every service of this table and closes every connection it forwards. */
    public Future<Void> close() {
        List<Service> list;
        synchronized (this) {
            if (closed) return sockets.succeeded();
            closed = true;
            list = new ArrayList<>(services.values());
            services.clear();
        }
        vertx.cancelTimer(housekeeping);
        List<Future<Void>> closing = new ArrayList<>();
        for (Service s : list) {
            for (Destination d : s.destinations()) {
                d.markRemoved();
                expireAll(d);
            }
            closing.add(s.listener().close());
        }
        return Future.join(closing).mapEmpty();
    }

    private static void expireAll(Destination d) {
        for (Forwarded f : new ArrayList<>(d.live)) f.expire();
    }

    private void expire() {
        List<Service> list;
        synchronized (this) {
            list = new ArrayList<>(services.values());
        }
        long now = System.nanoTime();
        for (Service s : list) s.expire(now);
    }

    private void reportMethod(ServiceKey key, DestinationSpec spec) {
        if (spec.method() == ForwardingMethod.MASQ || !reportedMethods.add(spec.method())) return;
        LOG.warning("real server " + Addresses.format(spec.address()) + " of " + key + ": forwarding method "
                + spec.method().ipvsName() + " needs the kernel's IPVS; the user-space table forwards it as NAT "
                + "(Masq): the real server sees connections from this director and must answer through it "
                + "(reported once per method)");
    }

    private void reportFwmark(ServiceSpec spec) {
        if (spec.fwmark() == 0 || !reportedFwmarks.add(spec.key())) return;
        LOG.warning("fwmark " + spec.fwmark() + " of " + spec.key() + ": packet marks are set by the kernel's "
                + "packet filter and are invisible in user space; forwarding only what arrives on "
                + spec.key());
    }
}
