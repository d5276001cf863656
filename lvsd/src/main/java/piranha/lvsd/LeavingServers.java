package piranha.lvsd;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import piranha.dataplane.DestinationSpec;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.table.Table;

/**
 * Real servers a reload removed from a service that stays: in the table at weight 0 until their
 * active connections end or their deadline (drain_timeout) passes, as expire_nodest_conn users
 * expect. {@link TableKeeper} puts them in the desired table and syncs the services this class
 * lets them leave. Runs on lvsd's context.
 */
final class LeavingServers {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private record Leaving(DestinationSpec destination, long deadlineNanos) {}

    private final Map<ServerId, Leaving> leaving = new LinkedHashMap<>();

    /**
     * A reload removed this real server from its service: if it is in the {@code applied} table it
     * stays there at weight 0 (no new connections) until {@link #expire} sees its connections end, or {@code bound} passes.
     */
    void leave(ServerId id, Table applied, Duration bound) {
        Table.Entry e = applied.get(id.service());
        DestinationSpec d = e == null ? null : e.destinations().get(id.endpoint());
        if (d == null) {
            return;
        }
        leaving.put(id, new Leaving(d.withWeight(0), System.nanoTime() + bound.toNanos()));
        LOG.info(() -> "real server " + id + " removed from lvs.cf: weight 0 until its connections end, at most "
                + bound.toSeconds() + " s");
    }

    boolean isEmpty() {
        return leaving.isEmpty();
    }

    /** Real servers still draining. */
    Set<ServerId> ids() {
        return Set.copyOf(leaving.keySet());
    }

    /** Adds the servers leaving service {@code s} to its part of the desired table, at weight 0. */
    void addTo(Table.Builder b, Plan.Service s) {
        ServiceKey key = s.spec().key();
        leaving.forEach((id, l) -> {
            if (id.service().equals(key) && !s.servers().containsKey(id)) {
                b.destination(key, l.destination());
            }
        });
    }

    /**
     * Lets go the servers whose connections have ended or whose bound has passed, with the backend's
     * counters and the services planned now; returns the services whose table changes.
     */
    Set<ServiceKey> expire(Map<ServiceKey, Map<String, DestinationStats>> stats, Map<ServiceKey, Plan.Service> planned) {
        long now = System.nanoTime();
        Set<ServiceKey> touched = new LinkedHashSet<>();
        for (var it = leaving.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            ServerId id = e.getKey();
            Plan.Service s = planned.get(id.service());
            if (s == null || s.servers().containsKey(id)) {
                it.remove(); // its service went, or a later reload brought it back
                continue;
            }
            DestinationStats c = stats.getOrDefault(id.service(), Map.of()).get(id.endpoint());
            long active = c == null ? 0 : c.activeConns();
            if (active == 0) {
                LOG.info(() -> "real server " + id + " left the table: no connections left");
            } else if (now - e.getValue().deadlineNanos() >= 0) {
                LOG.warning(() -> "real server " + id + " left the table with " + active + " active connection(s): drain_timeout passed");
            } else {
                continue;
            }
            it.remove();
            touched.add(id.service());
        }
        return touched;
    }
}
