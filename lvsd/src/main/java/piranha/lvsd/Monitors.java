package piranha.lvsd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import piranha.nanny.Mode;
import piranha.nanny.Nanny;
import piranha.nanny.NannySnapshot;
import piranha.nanny.check.CheckEnvironment;

/**
 * The nannies of the director, one per planned real server, supervised: a nanny that fails to
 * start, or stops checking, is restarted alone with back-off and logged; it never takes the
 * director down (unlike Piranha's hard_shutdown). Every verdict is handed to lvsd's context and
 * there to the {@link #onVerdict listener} (the table keeper); a nanny never waits for the table.
 * All methods run on lvsd's context.
 */
final class Monitors {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");
    private static final long MAX_BACKOFF_MS = 60_000;

    /** Hears every check's result (the metrics), on the nanny's context. */
    @FunctionalInterface
    interface CheckObserver {
        void checked(String service, String server, piranha.nanny.check.CheckResult result);
    }

    /** Hears, on lvsd's context, each real server whose health changed (the event stream). */
    @FunctionalInterface
    interface HealthObserver {
        void changed(String service, Plan.Server server, piranha.nanny.Verdict verdict);
    }

    static final class Monitor {
        Plan.Server server;
        /** The health last told the observer; a verdict that only moves the weight is not a change. */
        piranha.nanny.HealthState health;
        final String service;
        final String label;
        Nanny nanny;
        long seenChecks = -1;
        long progressAt;
        int restarts;
        long backoffMs = 1000;
        String lastError;

        Monitor(Plan.Server server, String service) {
            this.server = server;
            this.service = service;
            this.label = service + "/" + server.name();
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final CheckEnvironment env;
    private final Map<ServerId, Monitor> monitors = new LinkedHashMap<>();
    private Consumer<ServerId> changed = id -> {};
    private CheckObserver checks = (service, server, r) -> {};
    private HealthObserver health = (service, server, v) -> {};
    private long spread;

    Monitors(Vertx vertx, Context context, CheckEnvironment env) {
        this.vertx = vertx;
        this.context = context;
        this.env = env;
    }

    /** Who hears, on lvsd's context, that a real server's nanny changed its verdict or died. */
    void onVerdict(Consumer<ServerId> listener) {
        this.changed = listener;
    }

    /** Who hears that a real server went up, down or quiesced (set before the nannies start). */
    void observeHealth(HealthObserver observer) {
        this.health = observer;
    }

    /** Who hears each check's result (set before the nannies start). */
    void observeChecks(CheckObserver observer) {
        this.checks = observer;
    }

    /** Nannies started per turn of lvsd's event loop at start-up. */
    private static final int START_SLICE = 500;

    /**
     * Starts the nannies of every planned service, a slice per turn of the event loop: tens of
     * thousands started in one go would hold the loop (and the control socket's replies) for seconds.
     */
    Future<Void> startAll(Plan plan) {
        List<Map.Entry<String, Plan.Server>> all = new ArrayList<>();
        for (Plan.Service s : plan.services()) {
            s.servers().values().forEach(rs -> all.add(Map.entry(s.name(), rs)));
        }
        Promise<Void> started = Promise.promise();
        startSlice(all, 0, started);
        return started.future();
    }

    private void startSlice(List<Map.Entry<String, Plan.Server>> all, int from, Promise<Void> started) {
        int to = Math.min(all.size(), from + START_SLICE);
        for (int i = from; i < to; i++) {
            start(all.get(i).getKey(), all.get(i).getValue());
        }
        if (to == all.size()) {
            started.complete();
        } else {
            context.runOnContext(x -> startSlice(all, to, started));
        }
    }

    /** Starts the nanny of a real server, logged as Piranha did ("create_monitor for VS/RS ..."). */
    void start(String service, Plan.Server s) {
        Monitor m = new Monitor(s, service);
        monitors.put(s.id(), m);
        launch(m);
    }

    private void launch(Monitor m) {
        Nanny.Options options = Nanny.Options.defaults()
                .withFirstCheckDelay(Duration.ofMillis(nextSpread(m.server.check().timeout() * 1000L)))
                .withCheckObserver(r -> checks.checked(m.service, m.server.id().endpoint(), r));
        try {
            m.nanny = new Nanny(env, m.server.check(), v -> context.runOnContext(x -> {
                if (v.state() != m.health && monitors.get(m.server.id()) == m) {
                    m.health = v.state();
                    health.changed(m.service, m.server, v);
                }
                changed.accept(m.server.id());
            }), options);
        } catch (RuntimeException e) {
            m.lastError = e.getMessage();
            LOG.severe(() -> "cannot create the monitor for " + m.label + ": " + e.getMessage());
            return;
        }
        m.progressAt = System.nanoTime();
        m.seenChecks = -1;
        Nanny nanny = m.nanny;
        nanny.start().onComplete(ar -> context.runOnContext(x -> {
            if (ar.succeeded()) {
                LOG.info(() -> "create_monitor for " + m.label + " running (nanny in lvsd, pid "
                        + ProcessHandle.current().pid() + ")");
            } else if (monitors.get(m.server.id()) == m && m.nanny == nanny) {
                m.lastError = ar.cause().getMessage();
                restartLater(m, "could not start: " + ar.cause().getMessage());
            }
        }));
    }

    /**
     * Spreads the nannies' first checks over their interval (a prime stride through it), so that
     * thousands of nannies check at an even rate instead of all in the same instant.
     */
    private long nextSpread(long intervalMs) {
        spread++;
        return (spread * 7919) % Math.max(1, intervalMs);
    }

    private void restartLater(Monitor m, String why) {
        long delay = m.backoffMs;
        m.backoffMs = Math.min(MAX_BACKOFF_MS, m.backoffMs * 2);
        m.restarts++;
        LOG.warning(() -> "nanny for " + m.label + " died: " + why + "; restarting in " + delay + " ms");
        Nanny old = m.nanny;
        m.nanny = null;
        Future<Void> stopped = old == null ? Future.succeededFuture() : old.stop();
        stopped.onComplete(x -> vertx.setTimer(delay, t -> context.runOnContext(y -> {
            if (monitors.get(m.server.id()) == m) {
                launch(m);
            }
        })));
        changed.accept(m.server.id());
    }

    /**
     * Restarts nannies that stopped checking: a nanny runs a check every {@code timeout}; one that
     * has run none for three periods and five seconds more is stuck.
     */
    void watch() {
        long now = System.nanoTime();
        for (Monitor m : new ArrayList<>(monitors.values())) {
            if (m.nanny == null) {
                continue;
            }
            NannySnapshot s = m.nanny.snapshot();
            if (s.mode() != Mode.AUTO || s.checks() != m.seenChecks) {
                m.seenChecks = s.checks();
                m.progressAt = now;
                if (s.checks() > 0) {
                    m.backoffMs = 1000;
                }
                continue;
            }
            long stuckMs = 3L * m.server.check().timeout() * 1000 + 5000;
            if ((now - m.progressAt) / 1_000_000 > stuckMs) {
                restartLater(m, "no check for " + stuckMs + " ms");
            }
        }
    }

    Future<Void> stop(ServerId id) {
        Monitor m = monitors.remove(id);
        if (m == null || m.nanny == null) {
            return Future.succeededFuture();
        }
        return m.nanny.stop();
    }

    Future<Void> stopAll() {
        List<Future<Void>> all = new ArrayList<>();
        for (ServerId id : new ArrayList<>(monitors.keySet())) {
            all.add(stop(id));
        }
        return Future.join(all).mapEmpty();
    }

    boolean has(ServerId id) {
        return monitors.containsKey(id);
    }

    Plan.Server server(ServerId id) {
        Monitor m = monitors.get(id);
        return m == null ? null : m.server;
    }

    /**
     * A new configured weight for a server whose check is the same: the running nanny scales its
     * weight to it without a restart (one still starting is started again with it). Completes when
     * the nanny's weight is the new one.
     */
    Future<Void> update(Plan.Server s) {
        Monitor m = monitors.get(s.id());
        if (m == null) {
            return Future.succeededFuture();
        }
        m.server = s;
        Nanny nanny = m.nanny;
        if (nanny == null) {
            return Future.succeededFuture(); // restarting: it starts with m.server's settings
        }
        Promise<Void> done = Promise.promise();
        nanny.reweigh(s.check().weight()).onComplete(ar -> context.runOnContext(x -> {
            if (ar.succeeded() || monitors.get(s.id()) != m || m.nanny != nanny) {
                done.complete();
                return;
            }
            m.nanny = null;
            nanny.stop().onComplete(y -> context.runOnContext(z -> {
                if (monitors.get(s.id()) == m && m.nanny == null) {
                    launch(m);
                }
                done.complete();
            }));
        }));
        return done.future();
    }

    Optional<NannySnapshot> snapshot(ServerId id) {
        Monitor m = monitors.get(id);
        return m == null || m.nanny == null ? Optional.empty() : Optional.of(m.nanny.snapshot());
    }

    int restarts(ServerId id) {
        Monitor m = monitors.get(id);
        return m == null ? 0 : m.restarts;
    }

    /** Whether every nanny has run its first check (or is overridden), for a start-up without flaps. */
    boolean allChecked() {
        for (Monitor m : monitors.values()) {
            if (m.nanny != null && m.nanny.snapshot().checks() == 0 && m.nanny.snapshot().mode() == Mode.AUTO) {
                return false;
            }
        }
        return true;
    }

    /**
     * Waits for every nanny's first check (at most the longest timeout and a second), so that the
     * first table holds the servers that are up, and a sorry server only when none is.
     */
    Future<Void> firstChecks(Plan plan) {
        int longest = plan.servers().values().stream().mapToInt(s -> s.check().timeout()).max().orElse(0);
        if (longest == 0) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        long deadline = System.nanoTime() + (longest + 1) * 1_000_000_000L;
        long[] timer = new long[1];
        timer[0] = vertx.setPeriodic(20, t -> context.runOnContext(v -> {
            if (allChecked() || System.nanoTime() > deadline) {
                vertx.cancelTimer(timer[0]);
                p.tryComplete();
            }
        }));
        return p.future();
    }

    int size() {
        return monitors.size();
    }

    /** Distinct probes running, and the nannies sharing them. */
    int[] probeCounts() {
        return env.probes().counts();
    }

    /** Operator overrides, as Piranha's SIGUSR1 / SIGUSR2 / SIGHUP to one nanny. */
    void override(ServerId id, Mode mode) {
        Monitor m = monitors.get(id);
        if (m == null || m.nanny == null) {
            throw new IllegalArgumentException("no running nanny for " + id);
        }
        try {
            switch (mode) {
                case FORCED_DOWN -> m.nanny.forceDown();
                case FORCED_UP -> m.nanny.forceUp();
                case AUTO -> m.nanny.auto();
            }
        } catch (IllegalStateException e) {
            LOG.log(Level.FINE, "override of " + id + ": " + e.getMessage());
            throw new IllegalArgumentException("the nanny for " + id + " is restarting; try again");
        }
    }
}
