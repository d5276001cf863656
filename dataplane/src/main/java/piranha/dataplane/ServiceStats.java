package piranha.dataplane;

import java.util.List;

/** One virtual service of {@code ipvsadm -L -n --stats}: its totals and its destinations. */
public record ServiceStats(
        ServiceKey key,
        String scheduler,
        int persistentSeconds,
        boolean listening,
        long conns,
        long inBytes,
        long outBytes,
        long inPackets,
        long outPackets,
        List<DestinationStats> destinations) {

    public DestinationStats destination(java.net.InetSocketAddress address) {
        for (DestinationStats d : destinations) if (d.address().equals(address)) return d;
        return null;
    }
}
