package piranha.pulse.heartbeat;

import java.util.EnumMap;
import java.util.Map;

/** Heartbeat counters; touched by the heartbeat thread only, copied for status. */
public final class HeartbeatCounters {
    long sent;
    long sendErrors;
    long received;
    long late;
    long maxLateNanos;
    long heldUp;
    long maxHeldUpNanos;
    final EnumMap<Rejection, Long> rejected = new EnumMap<>(Rejection.class);

    void reject(Rejection r) {
        rejected.merge(r, 1L, Long::sum);
    }

    public record Snapshot(long sent, long sendErrors, long received, long late, long maxLateNanos,
                           long heldUp, long maxHeldUpNanos, Map<Rejection, Long> rejected) {
        public long rejectedTotal() {
            return rejected.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    Snapshot snapshot() {
        return new Snapshot(sent, sendErrors, received, late, maxLateNanos, heldUp, maxHeldUpNanos, Map.copyOf(rejected));
    }
}
