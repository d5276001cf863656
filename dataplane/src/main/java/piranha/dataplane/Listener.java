package piranha.dataplane;

import io.vertx.core.Future;

/** The socket a service receives on: a TCP listener or a UDP socket on VIP:port. */
interface Listener {
    Future<Void> start();

    boolean isListening();

    /** Stops taking new connections/flows; what happens to existing ones is the caller's policy. */
    Future<Void> close();
}
