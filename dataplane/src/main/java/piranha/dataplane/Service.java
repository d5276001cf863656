package piranha.dataplane;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import piranha.dataplane.scheduler.Scheduler;
import piranha.dataplane.scheduler.Schedulers;

/**
 * A virtual service in the live table: its destinations, scheduler and persistence templates.
 * Table operations and scheduling of new connections take this object's lock; forwarding does not.
 */
final class Service {
    private static final java.util.logging.Logger LOG =
            java.util.logging.Logger.getLogger(Service.class.getName());
    private final ServiceKey key;
    private final DataplaneOptions options;
    private ServiceSpec spec;
    private Scheduler scheduler;
    private final PersistenceTemplates templates = new PersistenceTemplates();
    /*
     * The destinations in the order they were added (the order IPVS walks its list in), changed in
     * place under this object's lock and found by address: adding one does not copy or search the
     * others, so the first table of a service with 10,000 real servers is 10,000 steps and not
     * 10,000 squared. Readers outside the lock get a copy.
     */
    private final List<Destination> all = new ArrayList<>();
    private final Map<InetSocketAddress, Destination> byAddress = new HashMap<>();
    /** The real servers, which the scheduler chooses from: all but the sorry server. */
    private final List<Destination> ordinary = new ArrayList<>();
    private final List<Destination> sorryServers = new ArrayList<>(1);
    private Listener listener;

    /** What a new connection was given: its destination and the template that placed it. */
    record Placement(Destination dest, PersistenceTemplates.Template template) {}

    Service(ServiceSpec spec, DataplaneOptions options) {
        this.key = spec.key();
        this.options = options;
        this.spec = spec;
        this.scheduler = Schedulers.create(spec.scheduler(), spec.schedulerFlags());
        templates.configure(spec.persistentSeconds(), spec.pmask());
    }

    ServiceKey key() {
        return key;
    }

    synchronized ServiceSpec spec() {
        return spec;
    }

    synchronized void setListener(Listener l) {
        this.listener = l;
    }

    synchronized Listener listener() {
        return listener;
    }

    synchronized void edit(ServiceSpec next) {
        if (!next.scheduler().equalsIgnoreCase(scheduler.name()) || !next.schedulerFlags().equals(spec.schedulerFlags())) {
            scheduler = Schedulers.create(next.scheduler(), next.schedulerFlags());
            scheduler.update(ordinary);
        }
        templates.configure(next.persistentSeconds(), next.pmask());
        spec = next;
    }

    synchronized Destination find(InetSocketAddress address) {
        return byAddress.get(address);
    }

    synchronized Destination add(DestinationSpec ds) {
        if (byAddress.containsKey(ds.address())) throw new DataplaneException("Destination already exists");
        Destination d = new Destination(ds);
        all.add(d);
        byAddress.put(ds.address(), d);
        (d.isSorry() ? sorryServers : ordinary).add(d);
        scheduler.update(ordinary);
        return d;
    }

    synchronized Destination edit(DestinationSpec ds) {
        Destination d = find(ds.address());
        if (d == null) throw new DataplaneException("No such destination");
        if (d.isSorry() != ds.sorry()) {
            throw new DataplaneException("Destination " + Addresses.format(ds.address())
                    + (d.isSorry() ? " is the sorry server" : " is not the sorry server") + "; delete and add it instead");
        }
        d.update(ds);
        scheduler.update(ordinary);
        return d;
    }

    synchronized Destination remove(InetSocketAddress address) {
        Destination d = byAddress.remove(address);
        if (d == null) throw new DataplaneException("No such destination");
        all.remove(d);
        (d.isSorry() ? sorryServers : ordinary).remove(d);
        d.markRemoved();
        scheduler.update(ordinary);
        return d;
    }

    /** A copy, in the order they were added. */
    synchronized List<Destination> destinations() {
        return List.copyOf(all);
    }

    /**
     * Chooses the destination of a new connection: the client's persistence template if it has a
     * live one, else the scheduler, else the sorry server. Null: nothing can take it.
     */
    synchronized Placement place(java.net.InetSocketAddress from) {
        InetAddress client = from.getAddress();
        long now = System.nanoTime();
        InetAddress daddr = key.vip();
        if (templates.enabled()) {
            InetAddress k = templates.key(client);
            PersistenceTemplates.Template t = templates.lookup(k, now);
            if (t != null) {
                Destination d = t.dest;
                boolean quiesced = d.weight() == 0 && options.expireQuiescentTemplate();
                if (d.isAvailable() && !quiesced) {
                    t.controlled++;
                    t.lastUse = now;
                    return new Placement(d, t);
                }
                templates.drop(t);
            }
            Destination d = scheduler.schedule(ordinary, client, from.getPort(), daddr);
            if (d == null) return sorry();
            PersistenceTemplates.Template fresh = templates.create(k, d, now);
            fresh.controlled++;
            return new Placement(d, fresh);
        }
        Destination d = scheduler.schedule(ordinary, client, from.getPort(), daddr);
        return d != null ? new Placement(d, null) : sorry();
    }

    private boolean reportedNoDestination;

    /** {@link #place}, logging once per outage that the service has nowhere to send clients. */
    Placement placeReporting(java.net.InetSocketAddress client) {
        Placement p = place(client);
        synchronized (this) {
            if (p != null) {
                reportedNoDestination = false;
            } else if (!reportedNoDestination) {
                reportedNoDestination = true;
                LOG.warning(key + ": no destination available (no real server with weight > 0 and no sorry "
                        + "server); refusing new connections");
            }
        }
        return p;
    }

    /** The sorry server is never pinned by persistence: real servers take clients back at once. */
    private Placement sorry() {
        for (Destination d : sorryServers) {
            if (d.weight() > 0) return new Placement(d, null);
        }
        return null;
    }

    /** A connection placed by {@code t} ended: the template's timeout runs from now. */
    synchronized void release(PersistenceTemplates.Template t) {
        if (t == null) return;
        t.controlled--;
        t.lastUse = System.nanoTime();
    }

    synchronized void expire(long now) {
        templates.expire(now);
        scheduler.expire(now);
    }

    synchronized int templateCount() {
        return templates.size();
    }

    ServiceStats stats() {
        ServiceSpec s;
        Listener l;
        List<Destination> list;
        synchronized (this) {
            s = spec;
            l = listener;
            list = List.copyOf(all);
        }
        List<DestinationStats> ds = new ArrayList<>();
        long conns = 0, in = 0, out = 0, inP = 0, outP = 0;
        for (Destination d : list) {
            DestinationStats st = d.stats();
            ds.add(st);
            conns += st.conns();
            in += st.inBytes();
            out += st.outBytes();
            inP += st.inPackets();
            outP += st.outPackets();
        }
        return new ServiceStats(key, s.scheduler(), s.persistentSeconds(), l != null && l.isListening(),
                conns, in, out, inP, outP, List.copyOf(ds));
    }
}
