package piranha.dataplane;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A destination (real server) as {@code ipvsadm -a/-e} takes it: address:port, weight, forwarding
 * method. A {@code sorry} destination is the service's sorry server: it takes connections only
 * while the scheduler finds no ordinary destination (none, or all quiesced). Port 0 is a
 * firewall-mark service's "the port the packet was sent to", as in ipvsadm.
 */
public record DestinationSpec(
        InetSocketAddress address, int weight, ForwardingMethod method, boolean sorry) {

    public DestinationSpec {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(method, "method");
        if (address.isUnresolved()) throw new IllegalArgumentException("unresolved real server address " + address);
        if (address.getPort() > 65535) {
            throw new IllegalArgumentException("real server port " + address.getPort() + " out of range 0-65535");
        }
        if (weight < 0 || weight > 65535) {
            throw new IllegalArgumentException("weight " + weight + " out of range 0-65535");
        }
    }

    public static DestinationSpec nat(InetSocketAddress address, int weight) {
        return new DestinationSpec(address, weight, ForwardingMethod.MASQ, false);
    }

    /** The sorry server, added like Piranha does it: NAT, weight 1. */
    public static DestinationSpec sorry(InetSocketAddress address) {
        return new DestinationSpec(address, 1, ForwardingMethod.MASQ, true);
    }

    public DestinationSpec withWeight(int w) {
        return new DestinationSpec(address, w, method, sorry);
    }

    /** {@code IP:PORT}, how ipvsadm's {@code -r} and the logs name it. */
    public String endpoint() {
        return Addresses.format(address);
    }
}
