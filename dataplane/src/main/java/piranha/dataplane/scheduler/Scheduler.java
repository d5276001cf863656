package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/**
 * An IPVS scheduling algorithm. A service calls it under its own lock, so implementations keep
 * plain mutable state. {@code dests} are the service's ordinary destinations in the order they
 * were added (the order IPVS walks its list in); the sorry server is never among them.
 */
public interface Scheduler {
    /** The ipvsadm name ({@code -s NAME}). */
    String name();

    /**
     * The destination for a new connection from {@code client} to {@code daddr} (the VIP), or null
     * when none can take one (IPVS: "no destination available").
     */
    Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr);

    /** As above with the client's source port, which only mh with mh-port hashes. */
    default Destination schedule(List<Destination> dests, InetAddress client, int clientPort, InetAddress daddr) {
        return schedule(dests, client, daddr);
    }

    /** The destination list or a weight changed (IPVS's add_dest/upd_dest/del_dest hooks). */
    default void update(List<Destination> dests) {}

    /** Periodic housekeeping with a monotonic clock (lblc/lblcr expire their tables). */
    default void expire(long nowNanos) {}

    /** IPVS's "unavailable" test: a destination with weight 0 is quiesced. */
    static boolean usable(Destination d) {
        return d.weight() > 0 && d.isAvailable();
    }
}
