package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import piranha.dataplane.Destination;

/**
 * lblc: a destination address keeps its destination while that one is usable and not overloaded
 * (more active connections than its weight while another runs below half its weight); otherwise
 * wlc picks a new one. Keyed on the destination address, i.e. the VIP for a user-space service
 * (see {@link DestinationHashing}). Entries idle for 24 hours are dropped (lblc_expiration).
 */
final class LocalityBasedLeastConnection implements Scheduler {
    static final long EXPIRATION_NANOS = TimeUnit.HOURS.toNanos(24);

    private static final class Entry {
        Destination dest;
        long lastUse;
    }

    private final Map<InetAddress, Entry> table = new HashMap<>();

    @Override
    public String name() {
        return "lblc";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        long now = System.nanoTime();
        Entry e = table.get(daddr);
        if (e != null && Scheduler.usable(e.dest) && dests.contains(e.dest) && !overloaded(e.dest, dests)) {
            e.lastUse = now;
            return e.dest;
        }
        Destination d = WeightedLeastConnection.leastLoaded(dests);
        if (d == null) return null;
        if (e == null) {
            e = new Entry();
            table.put(daddr, e);
        }
        e.dest = d;
        e.lastUse = now;
        return d;
    }

    /** is_overloaded(): above its weight while some other destination is below half of its own. */
    static boolean overloaded(Destination d, List<Destination> dests) {
        if (d.activeConns() > d.weight()) {
            for (Destination o : dests) {
                if (o.activeConns() * 2 < o.weight()) return true;
            }
        }
        return false;
    }

    @Override
    public void expire(long nowNanos) {
        for (Iterator<Entry> it = table.values().iterator(); it.hasNext(); ) {
            if (nowNanos - it.next().lastUse > EXPIRATION_NANOS) it.remove();
        }
    }
}
