package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.net.NetSocket;
import java.time.Instant;

/**
 * {@code http_keepalive = 1}: the one connection an http check keeps between its runs, with the end
 * of validity of its certificate (the handshake is not repeated, so neither is reading it). The
 * connection lives on one context, the first run's ({@link #home}): a shared probe may be run from
 * another nanny's context, and Netty's handlers of a socket must not race. Everything but
 * {@link #isHome} and {@link #close} is called on that context.
 */
final class KeptConnection {
    private volatile Context home;
    private NetSocket idle;
    private Instant idleNotAfter;

    /** True when {@code here} is the home context; the first context asked becomes it. */
    boolean isHome(Context here) {
        if (home == null) {
            home = here;
        }
        return here == home;
    }

    /** The context the connection lives on; a run started elsewhere hops there. */
    Context home() {
        return home;
    }

    /** Keeps a connection whose response was read to its end for the next run. */
    void keep(NetSocket s, Instant notAfter) {
        idle = s;
        idleNotAfter = notAfter;
        // Nothing may arrive on a kept connection; if the server closes it or sends anything, it is dropped.
        s.handler(b -> drop(s));
        s.closeHandler(v -> drop(s));
        s.exceptionHandler(e -> drop(s));
    }

    /** The kept connection, taken for a run, or null. */
    NetSocket take() {
        NetSocket s = idle;
        idle = null;
        return s;
    }

    /** The end of validity of the certificate of the connection last kept (null over plain http). */
    Instant notAfter() {
        return idleNotAfter;
    }

    /** Closes the kept connection, on its context: the probe's last nanny stopped. */
    void close() {
        Context c = home;
        if (c != null) {
            c.runOnContext(v -> {
                NetSocket s = take();
                if (s != null) {
                    s.close();
                }
            });
        }
    }

    private void drop(NetSocket s) {
        if (idle == s) {
            idle = null;
        }
        s.handler(null);
        s.closeHandler(null);
        s.exceptionHandler(null);
        s.close();
    }
}
