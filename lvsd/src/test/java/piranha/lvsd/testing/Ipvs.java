package piranha.lvsd.testing;

import java.net.InetSocketAddress;

import piranha.dataplane.Addresses;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ForwardingMethod;
import piranha.dataplane.Protocol;
import piranha.dataplane.ServiceKey;
import piranha.dataplane.ServiceSpec;

/** The IPVS records the table tests write, from the text ipvsadm shows. */
public final class Ipvs {
    private Ipvs() {}

    public static ServiceKey key(Protocol protocol, String vip, int port) {
        return new ServiceKey(protocol, Addresses.parseAddress(vip), port);
    }

    /** {@code -s SCHEDULER [-p PERSISTENT [-M PMASK]]} of a service (PMASK null: none). */
    public static ServiceSpec spec(ServiceKey key, String scheduler, int persistent, String pmask) {
        return new ServiceSpec(key, scheduler, persistent, pmask == null ? null : Addresses.parseAddress(pmask), key.fwmark());
    }

    /** {@code -r IP:PORT -m/-g/-i -w WEIGHT}. */
    public static DestinationSpec destination(String ip, int port, ForwardingMethod method, int weight) {
        return new DestinationSpec(new InetSocketAddress(Addresses.parseAddress(ip), port), weight, method, false);
    }
}
