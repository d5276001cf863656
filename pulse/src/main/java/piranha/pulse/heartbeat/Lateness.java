package piranha.pulse.heartbeat;

import java.util.function.BiConsumer;
import java.util.logging.Level;

/**
 * What the heartbeat thread notes about its own timing: a send behind its schedule, a wake-up after
 * the time it asked for. Counted for the status, each kind logged at most once a second.
 * Heartbeat-thread only, like the counters it writes.
 */
final class Lateness {
    private final HeartbeatCounters counters;
    /** The loop's log (queued for the heartbeat-log thread). */
    private final BiConsumer<Level, String> log;
    private long lastLateLog = Long.MIN_VALUE / 2;
    private long lastHeldUpLog = Long.MIN_VALUE / 2;

    Lateness(HeartbeatCounters counters, BiConsumer<Level, String> log) {
        this.counters = counters;
        this.log = log;
    }

    /** A send lateNanos behind schedule; more than a quarter of a keepalive (at least 20 ms) is worth knowing about. */
    void sent(long lateNanos, long keepaliveNanos, long now) {
        if (lateNanos < Math.max(20_000_000L, keepaliveNanos / 4)) return;
        counters.late++;
        counters.maxLateNanos = Math.max(counters.maxLateNanos, lateNanos);
        if (now - lastLateLog >= 1_000_000_000L) {
            lastLateLog = now;
            log.accept(Level.WARNING, "heartbeat sent late by " + lateNanos / 1_000_000 + " ms (keepalive "
                    + keepaliveNanos / 1_000_000 + " ms, " + counters.late + " late so far)");
        }
    }

    /**
     * A wake-up lateNanos after the time asked for: beyond half a keepalive (at least 5 ms) the thread
     * was held up (the host did not run it; on a VM, the hypervisor).
     */
    static boolean heldUp(long lateNanos, long keepaliveNanos) {
        return lateNanos >= Math.max(5_000_000L, keepaliveNanos / 2);
    }

    /** Counts and logs a hold-up ({@link #heldUp} said so). */
    void noteHeldUp(long lateNanos, long keepaliveNanos) {
        counters.heldUp++;
        counters.maxHeldUpNanos = Math.max(counters.maxHeldUpNanos, lateNanos);
        long now = System.nanoTime();
        if (now - lastHeldUpLog >= 1_000_000_000L) {
            lastHeldUpLog = now;
            log.accept(Level.WARNING, "heartbeat thread held up " + lateNanos / 1_000_000 + " ms (keepalive "
                    + keepaliveNanos / 1_000_000 + " ms, " + counters.heldUp + " times so far)");
        }
    }
}
