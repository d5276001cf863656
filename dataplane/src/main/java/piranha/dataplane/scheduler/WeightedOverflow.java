package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/**
 * ovf (ip_vs_ovf.c): the available destination of the highest weight whose active connections do
 * not exceed its weight; the weight is a connection budget, the next destination takes the overflow.
 */
final class WeightedOverflow implements Scheduler {
    @Override
    public String name() {
        return "ovf";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        Destination best = null;
        for (Destination d : dests) {
            if (!Scheduler.usable(d) || d.activeConns() > d.weight()) {
                continue;
            }
            if (best == null || d.weight() > best.weight()) {
                best = d;
            }
        }
        return best;
    }
}
