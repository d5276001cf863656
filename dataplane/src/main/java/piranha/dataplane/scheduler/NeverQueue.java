package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/** nq: an idle destination (no active connection) at once, otherwise as sed. */
final class NeverQueue implements Scheduler {
  @Override
  public String name() {
    return "nq";
  }

  @Override
  public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
    Destination least = null;
    long loh = 0;
    for (Destination d : dests) {
      if (!Scheduler.usable(d)) continue;
      if (d.activeConns() == 0) return d;
      long doh = d.activeConns() + 1L;
      if (least == null || loh * d.weight() > doh * least.weight()) {
        least = d;
        loh = doh;
      }
    }
    return least;
  }
}
