package piranha.gui.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing: after {@link #FREE_ATTEMPTS} failures from one client address, each
 * further attempt must wait a lockout that doubles per failure (up to 15 minutes). A good login
 * clears the address's record. The table is bounded: the oldest records go first.
 */
public final class LoginLimiter {
    public static final int FREE_ATTEMPTS = 5;
    private static final Duration FIRST_LOCKOUT = Duration.ofSeconds(30);
    private static final Duration MAX_LOCKOUT = Duration.ofMinutes(15);
    private static final int MAX_CLIENTS = 10_000;

    private record Record(int failures, Instant lockedUntil, Instant last) {}

    private final Map<String, Record> clients = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoginLimiter(Clock clock) {
        this.clock = clock;
    }

    /** How long the client must still wait; zero when it may try now. */
    public Duration wait(String client) {
        Record r = clients.get(client);
        if (r == null || r.lockedUntil == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), r.lockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    public void failed(String client) {
        Instant now = clock.instant();
        if (clients.size() >= MAX_CLIENTS) {
            clients.entrySet().stream().min((a, b) -> a.getValue().last.compareTo(b.getValue().last))
                    .ifPresent(e -> clients.remove(e.getKey()));
        }
        clients.compute(client, (k, r) -> {
            int failures = r == null ? 1 : r.failures + 1;
            Instant locked = null;
            if (failures >= FREE_ATTEMPTS) {
                long factor = 1L << Math.min(failures - FREE_ATTEMPTS, 10);
                Duration d = FIRST_LOCKOUT.multipliedBy(factor);
                locked = now.plus(d.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : d);
            }
            return new Record(failures, locked, now);
        });
    }

    public void succeeded(String client) {
        clients.remove(client);
    }
}
