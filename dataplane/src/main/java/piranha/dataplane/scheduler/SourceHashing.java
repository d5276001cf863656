package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/**
 * sh: a static hash of the client address over 256 buckets, each destination owning as many
 * buckets as its weight. Stable per client while the list is unchanged; a quiesced bucket owner
 * means no destination (IPVS without the sh-fallback flag).
 */
final class SourceHashing implements Scheduler {
    private final HashTable table = new HashTable();

    @Override
    public String name() {
        return "sh";
    }

    @Override
    public void update(List<Destination> dests) {
        table.fill(dests, true);
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        Destination d = table.get(HashTable.shHash(client));
        return d != null && Scheduler.usable(d) ? d : null;
    }
}
