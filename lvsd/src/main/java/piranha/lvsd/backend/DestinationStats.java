package piranha.lvsd.backend;

/** Counters of one destination, as {@code ipvsadm -L -n [--stats]} shows them. */
public record DestinationStats(long activeConns, long inactiveConns, long conns, long bytesIn, long bytesOut) {
    public static final DestinationStats NONE = new DestinationStats(0, 0, 0, 0, 0);
}
