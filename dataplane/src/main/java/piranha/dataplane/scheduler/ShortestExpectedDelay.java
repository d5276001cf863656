package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** sed: the smallest (active + 1) / weight; inactive connections do not count. */
final class ShortestExpectedDelay implements Scheduler {
    @Override
    public String name() {
        return "sed";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        Destination least = null;
        long loh = 0;
        for (Destination d : dests) {
            if (!Scheduler.usable(d)) continue;
            long doh = d.activeConns() + 1L;
            if (least == null || loh * d.weight() > doh * least.weight()) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
