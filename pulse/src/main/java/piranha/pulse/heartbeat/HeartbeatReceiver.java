package piranha.pulse.heartbeat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.EnumMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The heartbeat thread's receive step: takes in what waits in one socket, refuses a datagram from
 * anyone but the partner, decodes the rest with the codec in force, counts each outcome and hands
 * each accepted heartbeat on. Refusals are logged at most once per reason and 10 s, so a flood of
 * forged or stray datagrams never becomes a flood of log lines. Heartbeat-thread only.
 */
final class HeartbeatReceiver {
    private static final Logger LOG = Logger.getLogger("pulse");
    /** Datagrams taken from one socket per wake-up: the sends and deadlines must not wait behind a flood. */
    private static final int BATCH = 64;

    private final ByteBuffer in = ByteBuffer.allocate(256);
    private final HeartbeatPaths paths;
    private final HeartbeatCounters counters;
    private final BiConsumer<Level, String> log;
    /** Gets each accepted heartbeat; made once by the loop, so no call site is linked on the heartbeat thread. */
    private final Consumer<Decoded> accepted;
    private final EnumMap<Rejection, Long> lastRejectLog = new EnumMap<>(Rejection.class);

    HeartbeatReceiver(HeartbeatPaths paths, HeartbeatCounters counters, BiConsumer<Level, String> log,
                      Consumer<Decoded> accepted) {
        this.paths = paths;
        this.counters = counters;
        this.log = log;
        this.accepted = accepted;
    }

    /**
     * Reads ch until it is empty (or a batch is done).
     *
     * @param deadtimeNanos the machine's deadtime, for the path's silence
     */
    void receiveAll(DatagramChannel ch, HeartbeatCodec codec, long deadtimeNanos) {
        for (int i = 0; i < BATCH; i++) {
            in.clear();
            InetSocketAddress from;
            try {
                from = (InetSocketAddress) ch.receive(in);
            } catch (IOException e) {
                // ICMP port unreachable from a partner that is not listening: Piranha ignores it as well
                if (LOG.isLoggable(Level.FINE)) log.accept(Level.FINE, "heartbeat receive: " + e.getMessage());
                continue;
            }
            if (from == null) return;
            in.flip();
            Decoded d;
            if (!paths.fromPartner(from.getAddress())) {
                d = Decoded.rejected(Rejection.WRONG_SOURCE);
            } else {
                d = codec.decode(in);
            }
            if (d.isAccepted()) {
                counters.received++;
                paths.accepted(ch, deadtimeNanos);
                accepted.accept(d);
            } else {
                reject(d.rejection(), from);
            }
        }
    }

    private void reject(Rejection r, InetSocketAddress from) {
        counters.reject(r);
        if (r == Rejection.IGNORED) return;
        long now = System.nanoTime();
        Long last = lastRejectLog.get(r);
        // one line per reason and 10 s: a flood must not become a log flood
        if (last == null || now - last >= 10_000_000_000L) {
            lastRejectLog.put(r, now);
            Level level = r == Rejection.WRONG_SOURCE ? Level.FINE : Level.WARNING;
            log.accept(level, r.message + " from " + from.getAddress().getHostAddress() + ":" + from.getPort()
                    + " (" + counters.rejected.get(r) + " so far)");
        }
    }
}
