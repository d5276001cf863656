package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;

/**
 * One probe per distinct check: nannies whose checks are identical (same kind, target, request,
 * deadline and interval: {@code NannyConfig.ProbeKey}) join the same {@link Probe}, so a real server
 * behind several virtual services is checked once per interval and every service's nanny judges
 * the same result. The probe fixes the schedule's phase for all who join it; a nanny that finds a
 * check in flight waits for it, one that comes just after it takes its result.
 */
public final class SharedProbes {
    private final Vertx vertx;
    private final Map<Object, Probe> probes = new HashMap<>();

    public SharedProbes(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Joins the probe of {@code key}, creating it with {@code check} and the first joiner's planned
     * first start if there is none. Any thread.
     */
    public synchronized Probe join(Object key, Check check, long intervalNanos, long firstStartNanos) {
        Probe p = probes.get(key);
        if (p == null) {
            p = new Probe(key, check, intervalNanos, firstStartNanos);
            probes.put(key, p);
        }
        p.users++;
        return p;
    }

    /** Probes in use now, and the nannies using them. */
    public synchronized int[] counts() {
        int users = 0;
        for (Probe p : probes.values()) {
            users += p.users;
        }
        return new int[] {probes.size(), users};
    }

    private synchronized void leave(Probe p) {
        if (--p.users == 0) {
            probes.remove(p.key);
            p.check.close();
        }
    }

    /** A check shared by its users. */
    public final class Probe {
        private final Object key;
        private final Check check;
        private final long intervalNanos;
        private final long phaseNanos;
        private int users;
        private long runs;
        private Future<CheckResult> inFlight;
        private CheckResult last;
        private long lastStart;

        private Probe(Object key, Check check, long intervalNanos, long phaseNanos) {
            this.key = key;
            this.check = check;
            this.intervalNanos = intervalNanos;
            this.phaseNanos = phaseNanos;
        }

        public Check check() {
            return check;
        }

        /** The first start on this probe's schedule at or after {@code plannedNanos}. */
        public long align(long plannedNanos) {
            return phaseNanos + Math.floorDiv(plannedNanos - phaseNanos + intervalNanos - 1, intervalNanos) * intervalNanos;
        }

        /**
         * This round's result, delivered on the caller's context: the check in flight, or the one that
         * started less than half an interval ago, or a new one.
         */
        public Future<CheckResult> run() {
            Context caller = vertx.getOrCreateContext();
            Future<CheckResult> shared;
            synchronized (this) {
                long now = System.nanoTime();
                if (inFlight != null) {
                    shared = inFlight;
                } else if (last != null && now - lastStart < intervalNanos / 2) {
                    return Future.succeededFuture(last);
                } else {
                    runs++;
                    lastStart = now;
                    Future<CheckResult> started;
                    try {
                        started = check.run();
                    } catch (RuntimeException e) {
                        started = Future.succeededFuture(CheckResult.fail("check error: " + e, now));
                    }
                    Future<CheckResult> f = started.otherwise(t -> CheckResult.fail("check error: " + t, now));
                    inFlight = f;
                    shared = f;
                    f.onComplete(ar -> {
                        synchronized (this) {
                            last = ar.result();
                            inFlight = null;
                        }
                    });
                }
            }
            Promise<CheckResult> mine = Promise.promise();
            shared.onComplete(ar -> caller.runOnContext(v -> mine.complete(ar.result())));
            return mine.future();
        }

        /** How many nannies use this probe now. */
        public synchronized int users() {
            return users;
        }

        /** Checks this probe has run. */
        public synchronized long runs() {
            return runs;
        }

        public void leave() {
            SharedProbes.this.leave(this);
        }
    }
}
