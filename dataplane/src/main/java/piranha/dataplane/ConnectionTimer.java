package piranha.dataplane;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The one timer of a forwarded TCP connection, for both forwarders (Netty's channels and the ring):
 * the connect timeout where the forwarder has none of its own, then the idle limit (tcp, tcpfin once
 * half-closed), re-armed for the time left rather than moved at every read. While the connection is
 * half-closed it also wakes every 200 ms: nobody reads the finished side any more, so a reset there
 * shows only as an error on its socket, which the connection is asked about.
 */
final class ConnectionTimer {
    private static final Logger LOG = Logger.getLogger(ConnectionTimer.class.getName());
    private static final long PROBE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** What the timer asks of its connection and does to it, on the connection's event loop. */
    interface Timed {
        /** Closing or closed: the timer stops. */
        boolean over();

        /** The connect to the real server has completed. */
        boolean connected();

        /** Half-closed, and a peer has reset its socket since. */
        boolean resetWhileHalfClosed();

        /** Closes both sides with a reset. */
        void abort();
    }

    private final EventExecutor loop;
    private final Dataplane dataplane;
    private final Service service;
    private final ConnectionCount count;
    private final Timed connection;
    /** 0: the forwarder's socket times the connect out itself. */
    private final long connectTimeoutNanos;
    /** False where the socket's error cannot be read (NIO): no half-close probe. */
    private final boolean probes;
    private final long started = System.nanoTime();
    private long idleLimitNanos;
    /** Last read on either side; written data always comes from a read on the other side. */
    private long lastActivity = started;
    private ScheduledFuture<?> pending;

    ConnectionTimer(EventExecutor loop, Dataplane dp, Service svc, ConnectionCount count, Timed connection,
                    boolean timesConnect, boolean probes) {
        this.loop = loop;
        this.dataplane = dp;
        this.service = svc;
        this.count = count;
        this.connection = connection;
        this.connectTimeoutNanos = timesConnect ? TimeUnit.MILLISECONDS.toNanos(dp.options().connectTimeoutMillis()) : 0;
        this.probes = probes;
    }

    /** Armed for the connect timeout or the tcp limit, whichever comes first. */
    void start() {
        idleLimitNanos = TimeUnit.SECONDS.toNanos(dataplane.timeouts().tcp());
        arm(connectTimeoutNanos > 0 ? Math.min(idleLimitNanos, connectTimeoutNanos) : idleLimitNanos);
    }

    /**
     * The connect completed: armed for the idle limit instead of the connect timeout, so that a
     * connection that then sits idle does not wake its event loop at the connect timeout only to be
     * armed again.
     */
    void connected() {
        if (connectTimeoutNanos == 0 || connectTimeoutNanos >= idleLimitNanos || count.inactive()) return;
        if (cancel()) arm(idleLimitNanos - (System.nanoTime() - lastActivity));
    }

    /** Bytes came from either side. */
    void activity() {
        lastActivity = System.nanoTime();
    }

    /**
     * A FIN from either side: the first one makes the connection inactive (IPVS FIN_WAIT), with the
     * tcpfin limit from now and the probe.
     */
    void halfClosed() {
        if (!count.halfClosed()) return;
        idleLimitNanos = TimeUnit.SECONDS.toNanos(dataplane.timeouts().tcpfin());
        lastActivity = System.nanoTime();
        if (cancel()) arm(idleLimitNanos);
    }

    /** @return true if a pending run was cancelled */
    boolean cancel() {
        ScheduledFuture<?> t = pending;
        pending = null;
        return t != null && t.cancel(false);
    }

    private void fire() {
        pending = null;
        if (connection.over()) return;
        long now = System.nanoTime();
        if (connectTimeoutNanos > 0 && !connection.connected()) {
            long left = connectTimeoutNanos - (now - started);
            if (left > 0) {
                arm(left);
                return;
            }
            LOG.fine(() -> service.key() + ": connect to " + Addresses.format(count.destination().address()) + " timed out");
            connection.abort();
            return;
        }
        if (connection.resetWhileHalfClosed()) {
            LOG.fine(() -> service.key() + ": half-closed connection reset by a peer, closing");
            connection.abort();
            return;
        }
        long idle = now - lastActivity;
        if (idle >= idleLimitNanos) {
            LOG.fine(() -> service.key() + ": idle timeout, closing connection to "
                    + Addresses.format(count.destination().address()));
            connection.abort();
            return;
        }
        arm(idleLimitNanos - idle);
    }

    private void arm(long delayNanos) {
        long d = probes && count.inactive() ? Math.min(delayNanos, PROBE_NANOS) : delayNanos;
        pending = loop.schedule(this::fire, Math.max(d, 0), TimeUnit.NANOSECONDS);
    }
}
