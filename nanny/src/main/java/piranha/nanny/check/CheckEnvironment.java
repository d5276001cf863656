package piranha.nanny.check;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * What the check kinds share within one Vert.x instance: the TCP clients, the connect and UDP probe
 * loops, the program runner, and the registry of shared probes. Thousands of nannies use the same.
 *
 * @param netClient   send/expect connections, closed as Piranha closed them
 * @param resetClient the http, https and smtp checks' connections, closed with a reset once decided
 *                    (SO_LINGER 0, as HAProxy closes its checks): 5,000 checks a second leave no
 *                    TIME_WAIT entries behind
 */
public record CheckEnvironment(Vertx vertx, NetClient netClient, NetClient resetClient, ConnectProbes connects,
                               UdpProbes udp, ProgramRunner programs, SharedProbes probes) {

    public static CheckEnvironment create(Vertx vertx) {
        // Short connections to many servers: keep socket set-up to the minimum of system calls.
        NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(false).setReuseAddress(false));
        NetClient reset = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setReuseAddress(false)
                .setSoLinger(0));
        return new CheckEnvironment(vertx, client, reset, ConnectProbes.shared(), UdpProbes.shared(),
                new ProgramRunner(vertx), new SharedProbes(vertx));
    }
}
