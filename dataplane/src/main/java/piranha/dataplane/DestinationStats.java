package piranha.dataplane;

import java.net.InetSocketAddress;

/**
 * One destination line of {@code ipvsadm -L -n --stats} plus the connection columns of
 * {@code ipvsadm -L -n}. In = client to real server, out = real server to client. Packets are
 * counted for UDP (datagrams); for TCP they stay 0 (a user-space proxy sees a byte stream).
 */
public record DestinationStats(
        InetSocketAddress address,
        ForwardingMethod method,
        int weight,
        boolean sorry,
        int activeConns,
        int inactiveConns,
        long conns,
        long inBytes,
        long outBytes,
        long inPackets,
        long outPackets) {}
