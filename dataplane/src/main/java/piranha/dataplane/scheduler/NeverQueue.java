package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** nq: an idle destination (no active connection) at once, otherwise as sed. */
final class NeverQueue implements Scheduler {
    private final ShortestExpectedDelay sed = new ShortestExpectedDelay();

    @Override
    public String name() {
        return "nq";
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        for (Destination d : dests) {
            if (Scheduler.usable(d) && d.activeConns() == 0) return d;
        }
        return sed.schedule(dests, client, daddr);
    }
}
