package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** fo (ip_vs_fo.c): every connection to the available destination of the highest weight, the first of equals. */
final class WeightedFailover implements Scheduler {
    @Override
    public String name() {
        return "fo";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        Destination best = null;
        for (Destination d : dests) {
            if (Scheduler.usable(d) && (best == null || d.weight() > best.weight())) {
                best = d;
            }
        }
        return best;
    }
}
