package piranha.dataplane.scheduler;

import java.net.InetAddress;
import java.util.List;
import piranha.dataplane.Destination;

/**
 * dh: a static hash of the packet's destination address. For a service on VIP:port in user space
 * that address is always the VIP, so, exactly as IPVS does for such a service, one destination
 * takes everything; dh is meant for fwmark cache clusters, whose original destinations only the
 * kernel sees. A quiesced bucket owner means no destination (IPVS has no fallback here).
 */
final class DestinationHashing implements Scheduler {
    private final HashTable table = new HashTable();

    @Override
    public String name() {
        return "dh";
    }

    @Override
    public void update(List<Destination> dests) {
        table.fill(dests, false);
    }

    @Override
    public Destination schedule(List<Destination> dests, InetAddress client, InetAddress daddr) {
        Destination d = table.get(HashTable.dhHash(daddr));
        return d != null && Scheduler.usable(d) ? d : null;
    }
}
