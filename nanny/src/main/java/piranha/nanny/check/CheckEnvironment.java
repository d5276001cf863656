package piranha.nanny.check;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * What the check kinds share within one Vert.x instance: one TCP client, the UDP probe loop and the
 * program runner. Thousands of nannies use the same three.
 */
public record CheckEnvironment(Vertx vertx, NetClient netClient, UdpProbes udp, ProgramRunner programs) {

    public static CheckEnvironment create(Vertx vertx) {
        // Checks open short connections to many servers; no pooling, no idle timeouts of their own.
        NetClient client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setReuseAddress(true));
        return new CheckEnvironment(vertx, client, UdpProbes.shared(), new ProgramRunner(vertx));
    }
}
