package piranha.pulse.state;

import java.time.Duration;
import java.util.List;

/**
 * The backoff of lvsd's restarts where standing down would only end the service (no partner can take
 * over) or would leave the warm standby without its lvsd: 1 s, doubled per failure in a row, at most a
 * minute; an lvsd that ran long enough since its last restart failed anew, and the backoff starts over.
 * Pure: the machine passes its clock's time and gets the actions.
 */
final class LvsdRestarts {
    static final long FIRST_NANOS = 1_000_000_000L;
    static final long MAX_NANOS = 60_000_000_000L;
    /** An lvsd that ran this long since its last restart failed anew, not in a row. */
    static final long STABLE_NANOS = 120_000_000_000L;

    private long count;
    private long delay;
    /** When the last restart was due (its failure time plus its delay). */
    private long lastRestartAt;

    /** One more restart: says why and when, and asks for it after the backoff's delay. */
    void restart(long now, String why, List<Action> out) {
        boolean inARow = count > 0 && now - lastRestartAt < STABLE_NANOS;
        delay = !inARow ? FIRST_NANOS : Math.min(MAX_NANOS, delay * 2);
        lastRestartAt = now + delay;
        count++;
        Duration d = Duration.ofNanos(delay);
        out.add(new Action.Warn(why + ": restarting lvsd in " + d.toMillis() / 1000.0 + " s (restart " + count + ")"));
        out.add(new Action.RestartLvsd(d));
    }

    /** Restarts since start. */
    long count() {
        return count;
    }
}
