package piranha.nanny.check;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * What the check kinds share within one Vert.x instance: one TCP client, the connect and UDP probe
 * loops and the program runner. Thousands of nannies use the same four.
 */
public record CheckEnvironment(Vertx vertx, NetClient netClient, ConnectProbes connects, UdpProbes udp,
                               ProgramRunner programs) {

    public static CheckEnvironment create(Vertx vertx) {
        // Short connections to many servers: keep socket set-up to the minimum of system calls.
        NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(false).setReuseAddress(false));
        return new CheckEnvironment(vertx, client, ConnectProbes.shared(), UdpProbes.shared(), new ProgramRunner(vertx));
    }
}
