package piranha.dataplane;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The cap on concurrent connections and flows. Hitting it logs one line; the next line comes only
 * after the count has dropped below 90 % of the cap, so a flood does not flood the log.
 */
final class ConnectionLimit {
    private static final Logger LOG = Logger.getLogger(ConnectionLimit.class.getName());
    private final int max;
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean reported = new AtomicBoolean();
    private final java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();

    ConnectionLimit(int max) {
        this.max = max;
    }

    boolean tryAcquire(ServiceKey service) {
        int n = count.incrementAndGet();
        if (n <= max) return true;
        count.decrementAndGet();
        refused.increment();
        if (reported.compareAndSet(false, true)) {
            LOG.warning("connection limit of " + max + " reached: refusing new connections to "
                    + service + " and all other services until some close");
        }
        return false;
    }

    void release() {
        int n = count.decrementAndGet();
        if (n < max * 9L / 10 && reported.get()) reported.set(false);
    }

    int current() {
        return count.get();
    }

    long refused() {
        return refused.sum();
    }
}
