package piranha.nanny;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import piranha.nanny.check.Check;
import piranha.nanny.check.CheckEnvironment;
import piranha.nanny.check.CheckResult;
import piranha.nanny.check.Checks;
import piranha.nanny.check.SharedProbes;

/**
 * One real server's monitor: a Vert.x verticle with its own context, timer and state that checks the
 * server every {@code timeout} seconds (or {@code interval}; fixed rate, each check under a
 * {@code timeout} deadline) and
 * reports every change as a {@link Verdict} to its listener. A nanny never changes the table itself.
 *
 * <p>Thread-safety: the operator calls and {@link #snapshot()} may be used from any thread; the
 * listener is called on the nanny's context.
 */
public final class Nanny {
    private static final Logger log = Logger.getLogger("piranha.nanny");
    /**
     * Checks start on a 10 ms grid, so the checks of many nannies that fall due together are started
     * by one wake-up of their event loop instead of one each; with thousands of nannies the wake-ups,
     * not the checks, would otherwise dominate the cost.
     */
    static final long GRID_NANOS = 10_000_000;

    /** Optional knobs; the defaults suit one nanny run by hand. */
    public record Options(Duration firstCheckDelay, LongConsumer checkStartLatenessNanos,
                          Consumer<CheckResult> checkObserver) {
        public Options(Duration firstCheckDelay, LongConsumer checkStartLatenessNanos) {
            this(firstCheckDelay, checkStartLatenessNanos, null);
        }

        public static Options defaults() {
            return new Options(Duration.ZERO, null, null);
        }

        /** Delay before the first check, so thousands of nannies do not all check at the same instant. */
        public Options withFirstCheckDelay(Duration d) {
            return new Options(d, checkStartLatenessNanos, checkObserver);
        }

        /** Observer of how late each check started against its schedule (benchmarks). */
        public Options withLatenessObserver(LongConsumer c) {
            return new Options(firstCheckDelay, c, checkObserver);
        }

        /** Observer of every check's result (latency histograms, results by outcome), on the nanny's context. */
        public Options withCheckObserver(Consumer<CheckResult> c) {
            return new Options(firstCheckDelay, checkStartLatenessNanos, c);
        }
    }

    /** Observer of every nanny's check-start lateness in this JVM, for benchmarks of a whole lvsd; null: none. */
    private static volatile LongConsumer latenessOfAll;

    /** Benchmarks: {@code c} sees how late every check of every nanny started (null to stop). */
    public static void observeLatenessOfAll(LongConsumer c) {
        latenessOfAll = c;
    }

    private final CheckEnvironment env;
    /** Replaced only by {@link #reweigh}: a weight change needs no new check. */
    private volatile NannyConfig config;
    private final Consumer<Verdict> listener;
    private final Options options;
    private final Check check;
    private final LoadMonitor loadMonitor;
    private final VerdictLogic logic;
    private volatile NannySnapshot snapshot;
    private volatile Unit unit;
    /** The deployment of {@link #unit}: its id once deployed. */
    private Future<String> deployment;

    /**
     * @throws IllegalArgumentException when the configuration cannot be checked (e.g. a bad regex)
     */
    public Nanny(CheckEnvironment env, NannyConfig config, Consumer<Verdict> listener, Options options) {
        this.env = env;
        this.config = config;
        this.listener = listener;
        this.options = options;
        this.check = Checks.forConfig(config, env);
        this.loadMonitor = config.loadMonitor() == null ? null
                : new LoadMonitor(env.programs(), config.loadMonitor(), config.address(), config.timeoutDuration(), config.runAs());
        this.logic = new VerdictLogic(config, () -> System.nanoTime() / 1_000_000);
        this.snapshot = logic.snapshot(check.kind(), 1);
    }

    public Nanny(CheckEnvironment env, NannyConfig config, Consumer<Verdict> listener) {
        this(env, config, listener, Options.defaults());
    }

    public NannyConfig config() {
        return config;
    }

    public Check check() {
        return check;
    }

    /** Deploys the nanny on its own context and starts checking. */
    public synchronized Future<Void> start() {
        if (unit != null) {
            return Future.failedFuture(new IllegalStateException("nanny for " + config.realServer() + " already started"));
        }
        Unit u = new Unit();
        unit = u;
        deployment = env.vertx().deployVerticle(u);
        return deployment.mapEmpty();
    }

    /** Stops checking; a check in flight finishes (within its deadline) and is ignored. */
    public synchronized Future<Void> stop() {
        Future<String> d = deployment;
        unit = null;
        deployment = null;
        if (d == null) {
            return Future.succeededFuture();
        }
        // a stop while the deployment is still under way (a takeover right after a start) waits for
        // its id: the unit has no context to ask yet, and must not be left checking
        return d.transform(ar -> ar.succeeded() ? env.vertx().undeploy(ar.result()) : Future.<Void>succeededFuture());
    }

    /** Operator: out of the table, checks stopped. */
    public void forceDown() {
        onContext(() -> emit(logic.forceDown(), "[inactive] shutting down " + config.realServer() + " on operator request"));
    }

    /** Operator: in the table at the configured weight, checks stopped. */
    public void forceUp() {
        onContext(() -> emit(logic.forceUp(), "[ active ] making " + config.realServer() + " available on operator request"));
    }

    /**
     * The configured weight is now {@code weight} (lvsd's reload): the weight in force is scaled to
     * it without a restart, and a change is reported to the listener like any other. Completes
     * once done; fails when the nanny is not running.
     */
    public Future<Void> reweigh(int weight) {
        Promise<Void> done = Promise.promise();
        try {
            onContext(() -> {
                config = config.withWeight(weight);
                Optional<Verdict> v = logic.reweigh(weight);
                emit(v, v.map(x -> line(HealthState.UP, x)).orElse(null));
                done.complete();
            });
        } catch (IllegalStateException e) {
            return Future.failedFuture(e);
        }
        return done.future();
    }

    /** Operator: back to automatic checking. */
    public void auto() {
        onContext(() -> {
            logic.auto();
            refresh();
            log.info(() -> "resuming checks of " + config.realServer());
        });
    }

    public NannySnapshot snapshot() {
        return snapshot;
    }

    /** The snapshot anew, after the logic changed; on the nanny's context. */
    private void refresh() {
        Unit u = unit;
        SharedProbes.Probe p = u == null ? null : u.probe;
        snapshot = logic.snapshot(check.kind(), p == null ? 1 : p.users());
    }

    private void onContext(Runnable r) {
        Unit u = unit;
        if (u == null || u.ctx() == null) {
            throw new IllegalStateException("nanny for " + config.realServer() + " is not running");
        }
        u.ctx().runOnContext(v -> r.run());
    }

    private void emit(Optional<Verdict> verdict, String line) {
        refresh();
        verdict.ifPresent(v -> {
            log.info(line);
            deliver(v);
        });
    }

    private void deliver(Verdict v) {
        try {
            listener.accept(v);
        } catch (RuntimeException e) {
            log.log(Level.SEVERE, "verdict listener failed for " + config.realServer() + ": " + e, e);
        }
    }

    /** The verticle: the nanny's timer and check loop, all on one context. */
    private final class Unit extends VerticleBase {
        private long intervalNanos;
        private long plannedAt;
        private long timer = -1;
        private boolean stopped;
        /** The probe this nanny's checks run on, shared with the nannies that check the same way. */
        private SharedProbes.Probe probe;

        Context ctx() {
            return context;
        }

        @Override
        public Future<?> start() {
            intervalNanos = config.intervalDuration().toNanos();
            log.info(() -> "starting LVS client monitor for " + config.virtualService() + " -> " + config.realServer());
            log.fine(() -> config.realServer() + ": " + check.describe() + " every " + config.intervalDuration().toSeconds()
                    + " s, deadline " + config.timeout() + " s");
            long delay = options.firstCheckDelay().toNanos();
            plannedAt = onGrid(System.nanoTime() + delay);
            probe = env.probes().join(config.probeKey(), check, intervalNanos, plannedAt);
            plannedAt = probe.align(plannedAt);
            if (probe.users() > 1) {
                log.fine(() -> config.realServer() + ": sharing the probe of " + (probe.users() - 1) + " other nannies");
            }
            schedule();
            return Future.succeededFuture();
        }

        @Override
        public Future<?> stop() {
            stopped = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
            if (probe != null) {
                probe.leave();
            }
            return Future.succeededFuture();
        }

        private long onGrid(long nanos) {
            return Math.floorDiv(nanos + GRID_NANOS - 1, GRID_NANOS) * GRID_NANOS;
        }

        private void schedule() {
            long delayMs = Math.max(0, (plannedAt - System.nanoTime() + 999_999) / 1_000_000);
            if (delayMs == 0) {
                timer = -1;
                context.runOnContext(v -> due());
            } else {
                timer = vertx.setTimer(delayMs, id -> due());
            }
        }

        private void due() {
            timer = -1;
            if (stopped) {
                return;
            }
            long lateness = System.nanoTime() - plannedAt;
            if (options.checkStartLatenessNanos() != null) {
                options.checkStartLatenessNanos().accept(lateness);
            }
            LongConsumer all = latenessOfAll;
            if (all != null) {
                all.accept(lateness);
            }
            plannedAt += intervalNanos;
            if (logic.mode() != Mode.AUTO) {
                next();
                return;
            }
            runCheck().onComplete(ar -> {
                if (!stopped) {
                    judge(ar.result());
                    next();
                }
            });
        }

        /** The probe's result for this round; a failing check kind is a failed check, never a dead nanny. */
        private Future<CheckResult> runCheck() {
            return probe.run();
        }

        private void next() {
            long now = System.nanoTime();
            if (plannedAt < now - intervalNanos) {
                plannedAt = onGrid(now); // far behind (a stalled machine): no burst of catch-up checks
            }
            schedule();
        }

        private void judge(CheckResult r) {
            if (options.checkObserver() != null) {
                options.checkObserver().accept(r);
            }
            if (!r.healthy()) {
                if (r.logLine() != null) {
                    log.warning(r.logLine());
                }
                boolean wasUp = logic.state() == HealthState.UP;
                Level level = wasUp ? Level.WARNING : Level.FINE;
                log.log(level, () -> "check of " + config.realServer() + " failed: " + r.reason());
            } else {
                log.fine(() -> "check of " + config.realServer() + " passed: " + r.reason());
            }
            HealthState before = logic.state();
            VerdictLogic.Step step = logic.onCheck(r);
            refresh();
            step.verdictIfAny().ifPresent(v -> {
                log.info(line(before, v));
                deliver(v);
            });
            if (step.sampleLoad() && loadMonitor != null) {
                loadMonitor.sample().onComplete(load -> {
                    if (stopped || load.failed()) {
                        return;
                    }
                    HealthState b = logic.state();
                    logic.onLoad(load.result()).ifPresent(v -> {
                        refresh();
                        log.info(line(b, v));
                        deliver(v);
                    });
                });
            }
        }
    }

    private String line(HealthState before, Verdict v) {
        String rs = config.realServer();
        if (v.state() == HealthState.UP && before != HealthState.UP) {
            return "[ active ] making " + rs + " available";
        }
        if (v.state() != HealthState.UP && before == HealthState.UP) {
            return "[inactive] shutting down " + rs + " due to connection failure";
        }
        return "adjusting weight of " + rs + " to " + v.weight() + " (" + v.reason() + ")";
    }
}
