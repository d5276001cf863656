package piranha.dataplane;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A destination in the live table: its current weight and the counters the schedulers and
 * {@code ipvsadm -L --stats} read. Counters are updated from any event loop.
 */
public final class Destination {
    private final InetSocketAddress address;
    private final boolean sorry;
    private volatile int weight;
    private volatile ForwardingMethod method;
    /** False once deleted from its service: no new connections, templates to it expire. */
    private volatile boolean available = true;

    final AtomicInteger activeConns = new AtomicInteger();
    final AtomicInteger inactiveConns = new AtomicInteger();
    final LongAdder conns = new LongAdder();
    final LongAdder inBytes = new LongAdder();
    final LongAdder outBytes = new LongAdder();
    final LongAdder inPackets = new LongAdder();
    final LongAdder outPackets = new LongAdder();
    /** Live connections and flows, so that removal can close them when configured to. */
    final Set<Forwarded> live = ConcurrentHashMap.newKeySet();

    public Destination(DestinationSpec spec) {
        this.address = spec.address();
        this.sorry = spec.sorry();
        this.weight = spec.weight();
        this.method = spec.method();
    }

    public InetSocketAddress address() {
        return address;
    }

    public int weight() {
        return weight;
    }

    public boolean isSorry() {
        return sorry;
    }

    public ForwardingMethod method() {
        return method;
    }

    public boolean isAvailable() {
        return available;
    }

    public int activeConns() {
        return activeConns.get();
    }

    public int inactiveConns() {
        return inactiveConns.get();
    }

    /** IPVS's ip_vs_dest_conn_overhead: active connections weigh 256 inactive ones. */
    public int overhead() {
        return (activeConns.get() << 8) + inactiveConns.get();
    }

    void update(DestinationSpec spec) {
        this.weight = spec.weight();
        this.method = spec.method();
    }

    void markRemoved() {
        available = false;
    }

    /** For scheduler tests: sets the connection counts directly. */
    public void setConnectionCounts(int active, int inactive) {
        activeConns.set(active);
        inactiveConns.set(inactive);
    }

    /** For scheduler tests and adapters: changes the weight outside a table operation. */
    public void setWeight(int w) {
        this.weight = w;
    }

    DestinationStats stats() {
        return new DestinationStats(address, method, weight, sorry, activeConns.get(), inactiveConns.get(),
                conns.sum(), inBytes.sum(), outBytes.sum(), inPackets.sum(), outPackets.sum());
    }

    @Override
    public String toString() {
        return Addresses.format(address) + (sorry ? " (sorry)" : "") + " w=" + weight;
    }
}
