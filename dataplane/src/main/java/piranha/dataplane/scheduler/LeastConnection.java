package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** lc: the usable destination with the smallest overhead (256 x active + inactive), weights ignored. */
final class LeastConnection implements Scheduler {
    @Override
    public String name() {
        return "lc";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        Destination least = null;
        int loh = 0;
        for (Destination d : dests) {
            if (!Scheduler.usable(d)) continue;
            int doh = d.overhead();
            if (least == null || doh < loh) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
