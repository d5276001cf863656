package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** rr: the next destination after the last one chosen, skipping quiesced ones. */
final class RoundRobin implements Scheduler {
    private Destination last;

    @Override
    public String name() {
        return "rr";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        int n = dests.size();
        if (n == 0) return null;
        // Continue after the last choice even if the list changed around it, as IPVS does.
        int start = last == null ? 0 : dests.indexOf(last) + 1;
        for (int i = 0; i < n; i++) {
            Destination d = dests.get((start + i) % n);
            if (Scheduler.usable(d)) {
                last = d;
                return d;
            }
        }
        return null;
    }
}
