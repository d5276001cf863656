package piranha.dataplane;

import java.net.InetSocketAddress;

/**
 * The operations of ipvsadm on an IPVS table, one method each. {@link Dataplane} carries them out
 * ({@code R} = a future), {@link IpvsadmArgs} spells them as ipvsadm's arguments ({@code R} = the
 * argument list), and a table change of lvsd names one of them.
 */
public interface IpvsOperations<R> {

    /** {@code -A -t/-u VIP:PORT | -f MARK -s SCHED [-p SECS [-M PMASK]]} */
    R addService(ServiceSpec spec);

    /** {@code -E ...}: scheduler and persistence. */
    R editService(ServiceSpec spec);

    /** {@code -D SERVICE} */
    R deleteService(ServiceKey key);

    /** {@code -a SERVICE -r RIP:RPORT -m/-g/-i -w W} */
    R addDestination(ServiceKey key, DestinationSpec spec);

    /** {@code -e ...}: weight and method. */
    R editDestination(ServiceKey key, DestinationSpec spec);

    /** {@code -d SERVICE -r RIP:RPORT} */
    R deleteDestination(ServiceKey key, InetSocketAddress address);

    /** {@code --set TCP TCPFIN UDP}; 0 leaves a timeout as it is. */
    R setTimeouts(Timeouts t);
}
