package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import piranha.dataplane.Destination;

/**
 * lblcr: a destination address maps to a set of destinations; the least loaded usable member is
 * chosen, and when it is overloaded (or the set has none usable) the least loaded destination of
 * the whole service joins the set. A set unchanged for lblcr_expiration (24 h) loses its most
 * loaded member. Keyed on the VIP in user space (see {@link DestinationHashing}).
 */
final class LocalityBasedLeastConnectionReplication implements Scheduler {
    private static final class Entry {
        final List<Destination> set = new ArrayList<>();
        long lastMod;
        long lastUse;
    }

    private final Map<InetAddress, Entry> table = new HashMap<>();

    @Override
    public String name() {
        return "lblcr";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        long now = System.nanoTime();
        Entry e = table.computeIfAbsent(daddr, k -> new Entry());
        e.lastUse = now;
        e.set.removeIf(d -> !dests.contains(d) || !d.isAvailable());
        Destination d = WeightedLeastConnection.leastLoaded(e.set);
        if (d != null && e.set.size() > 1
                && now - e.lastMod > LocalityBasedLeastConnection.EXPIRATION_NANOS) {
            Destination most = mostLoaded(e.set);
            if (most != null && most != d) {
                e.set.remove(most);
                e.lastMod = now;
            }
        }
        if (d == null || LocalityBasedLeastConnection.overloaded(d, dests)) {
            Destination fresh = WeightedLeastConnection.leastLoaded(dests);
            if (fresh == null) return null;
            if (!e.set.contains(fresh)) {
                e.set.add(fresh);
                e.lastMod = now;
            }
            d = fresh;
        }
        return d;
    }

    private static Destination mostLoaded(List<Destination> set) {
        Destination most = null;
        long moh = 0;
        for (Destination d : set) {
            if (d.weight() == 0) continue;
            long doh = d.overhead();
            if (most == null || moh * d.weight() < doh * most.weight()) {
                most = d;
                moh = doh;
            }
        }
        return most;
    }

    @Override
    public void expire(long nowNanos) {
        for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastUse > LocalityBasedLeastConnection.EXPIRATION_NANOS) it.remove();
        }
    }
}
