package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** wlc: the smallest overhead / weight, compared by cross-multiplication as IPVS does. */
final class WeightedLeastConnection implements Scheduler {
    @Override
    public String name() {
        return "wlc";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        return leastLoaded(dests);
    }

    /** Shared by wlc, lblc and lblcr (IPVS uses the same formula in all three). */
    static Destination leastLoaded(Iterable<Destination> dests) {
        Destination least = null;
        long loh = 0;
        for (Destination d : dests) {
            if (!Scheduler.usable(d)) continue;
            long doh = d.overhead();
            if (least == null || loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
