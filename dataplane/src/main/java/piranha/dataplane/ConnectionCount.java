package piranha.dataplane;

import java.net.InetSocketAddress;

/**
 * What a forwarded TCP connection counts in the table, whichever forwarder carries it: its slot
 * under the connection cap, its destination's counters in IPVS's terms (active until the first
 * FIN, then inactive as in FIN_WAIT, until both sockets are closed), its place in the
 * destination's live set and its persistence template.
 */
final class ConnectionCount {
    private final Dataplane dataplane;
    private final Service service;
    private final Destination dest;
    private final PersistenceTemplates.Template template;
    private Forwarded connection;
    private boolean inactive;
    private boolean released;

    private ConnectionCount(Dataplane dataplane, Service service, Service.Placement p) {
        this.dataplane = dataplane;
        this.service = service;
        this.dest = p.dest();
        this.template = p.template();
    }

    /**
     * A slot under the cap and a destination for a client of {@code service}, or null: the cap is
     * reached or the service has nowhere to send it (both logged where they are decided), and the
     * client is to be reset.
     */
    static ConnectionCount admit(Dataplane dp, Service service, InetSocketAddress from) {
        if (!dp.limit().tryAcquire(service.key())) return null;
        Service.Placement p = service.placeReporting(from);
        if (p == null) {
            dp.limit().release();
            return null;
        }
        return new ConnectionCount(dp, service, p);
    }

    Destination destination() {
        return dest;
    }

    /** Counted as a new active connection of its destination, and found by table operations. */
    void opened(Forwarded c) {
        connection = c;
        dest.conns.increment();
        dest.activeConns.incrementAndGet();
        dest.live.add(c);
    }

    /** The first FIN of either side: inactive from now on. True the first time only. */
    boolean halfClosed() {
        if (inactive) return false;
        inactive = true;
        dest.activeConns.decrementAndGet();
        dest.inactiveConns.incrementAndGet();
        return true;
    }

    boolean inactive() {
        return inactive;
    }

    /** Both sockets closed: gives back the slot, the counters and the persistence template, once. */
    void closed() {
        if (released) return;
        released = true;
        dataplane.limit().release();
        if (inactive) dest.inactiveConns.decrementAndGet();
        else dest.activeConns.decrementAndGet();
        if (connection != null) dest.live.remove(connection);
        service.release(template);
    }
}
