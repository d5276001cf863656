package piranha.lvsd;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlServer;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.ScriptSecurity;
import piranha.lvscf.model.Backend;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.ServiceKey;
import piranha.nanny.Mode;
import piranha.nanny.NannyConfig;
import piranha.nanny.check.CheckEnvironment;

/**
 * The director's table daemon: reads lvs.cf, runs a nanny per active real server, keeps the table
 * in the backend equal to what lvs.cf and the nannies ask for, reloads as a diff, and answers on
 * its control socket. Its state lives on one Vert.x context; nannies and the control socket hand
 * their work to it.
 */
public final class Lvsd {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private final LvsdOptions options;
    private final Vertx vertx;
    private final Context context;
    private final Promise<Void> ready = Promise.promise();
    private final Instant started = Instant.now();
    private LvsCfDocument document;
    private Backend backendKind;
    private TableBackend backend;
    private Monitors monitors;
    private TableKeeper keeper;
    private ControlServer control;
    private Metrics metrics;
    private final Planner planner = new Planner();
    /** CPU time of the last read on its worker thread, for the reload's timings. */
    private volatile long readCpuNanos;
    private long reloads;
    private boolean tableStarted;
    private long watchTimer = -1;
    private long reconcileTimer = -1;

    /** Builds the table backend once lvs.cf is read; {@link Backends} unless embedded. */
    @FunctionalInterface
    public interface BackendFactory {
        TableBackend create(Vertx vertx, Backend kind, piranha.lvscf.model.Globals globals, java.util.function.Supplier<Plan> plan,
                boolean testStart);
    }

    private final BackendFactory backends;

    public Lvsd(Vertx vertx, LvsdOptions options) {
        this(vertx, options, Backends::create);
    }

    /** With a backend of the embedder's choosing (benchmarks, other tables). */
    public Lvsd(Vertx vertx, LvsdOptions options, BackendFactory backends) {
        this.vertx = vertx;
        this.options = options;
        this.backends = backends;
        this.context = vertx.getOrCreateContext();
    }

    /** Readiness: the table is programmed and the nannies run. Fails if start-up failed. */
    public Future<Void> ready() {
        return ready.future();
    }

    /** Reads lvs.cf and starts everything; the future fails with an operator-facing message. */
    public Future<Void> start() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> startOnContext().onComplete(ar -> {
            if (ar.succeeded()) {
                ready.tryComplete();
            } else {
                ready.tryFail(ar.cause());
            }
            p.handle(ar);
        }));
        return p.future();
    }

    private Future<Void> startOnContext() {
        return read(null).compose(doc -> {
            if (doc.hasErrors()) {
                return Future.failedFuture("error parsing " + options.config() + ":\n"
                        + String.join("\n", doc.errors().stream().map(Object::toString).toList()));
            }
            document = doc;
            return startWith(doc);
        });
    }

    /**
     * Reads and checks lvs.cf on a worker thread: a large file must not hold up the event loop.
     * After {@code previous} was read, only the blocks that changed since are read again.
     */
    private Future<LvsCfDocument> read(LvsCfDocument previous) {
        return vertx.executeBlocking(() -> {
            try {
                long cpu = cpuNanos();
                LvsCfDocument doc = previous == null ? LvsCfFiles.read(options.config()) : LvsCfFiles.reread(options.config(), previous);
                readCpuNanos = cpuNanos() - cpu;
                if (!doc.hasErrors()) {
                    ScriptSecurity.require(doc); // programs another user could change never run as root
                }
                return doc;
            } catch (IOException e) {
                throw new IOException("cannot read " + options.config() + ": " + e.getMessage(), e);
            }
        }, false);
    }

    private Future<Void> startWith(LvsCfDocument document) {
        document.diagnostics().forEach(d -> LOG.warning(d::toString));
        backendKind = Backends.choose(options.backend(), document.config().globals());
        Plan plan = planner.plan(document.config());
        try {
            backend = backends.create(vertx, backendKind, document.config().globals(), () -> keeper == null ? plan : keeper.plan(),
                    options.testStart());
        } catch (RuntimeException e) {
            return Future.failedFuture(e.getMessage());
        }
        monitors = new Monitors(vertx, context, CheckEnvironment.create(vertx), this::verdict);
        keeper = new TableKeeper(vertx, context, backend, monitors, plan);
        try {
            control = ControlServer.start(options.controlSocket(), commands(), Duration.ofSeconds(60), options.controlGroup());
        } catch (IOException e) {
            return Future.failedFuture("cannot open the control socket " + options.controlSocket() + ": " + e.getMessage());
        }
        if (options.metricsPort() > 0) {
            metrics = new Metrics(vertx, this);
        }
        LOG.info(() -> "table backend: " + backend.name() + (options.testStart() ? " (test start: nothing is changed)" : ""));
        for (Plan.Service s : plan.services()) {
            LOG.info(() -> "starting virtual service " + s.name() + " active: " + s.port());
        }
        Future<Void> nanniesUp = options.testStart() ? Future.succeededFuture() : monitors.startAll(plan);
        Future<Void> metricsUp = metrics == null ? Future.succeededFuture() : metrics.listen(options.metricsPort());
        return nanniesUp
                .compose(x -> metricsUp)
                .compose(x -> keeper.timeouts(plan.timeouts()).recover(e -> Future.succeededFuture()))
                .compose(x -> firstChecks(plan))
                .compose(x -> {
                    tableStarted = true;
                    return keeper.sync().recover(e -> {
                        LOG.warning(() -> "the first table update failed; lvsd keeps retrying: " + e.getMessage());
                        return Future.succeededFuture();
                    });
                })
                .onSuccess(x -> {
                    watchTimer = vertx.setPeriodic(1000, t -> context.runOnContext(y -> monitors.watch()));
                    long every = options.reconcileInterval().toMillis();
                    if (every > 0) {
                        reconcileTimer = vertx.setPeriodic(every, t -> context.runOnContext(y -> keeper.reconcile()));
                    }
                    LOG.info(() -> "ready: " + plan.services().size() + " virtual service(s), " + monitors.size() + " nann"
                            + (monitors.size() == 1 ? "y" : "ies"));
                });
    }

    /**
     * Waits for every nanny's first check (at most the longest timeout and a second), so that the
     * first table holds the servers that are up, and a sorry server only when none is.
     */
    private Future<Void> firstChecks(Plan plan) {
        int longest = plan.servers().values().stream().mapToInt(s -> s.check().timeout()).max().orElse(0);
        if (longest == 0) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        long deadline = System.nanoTime() + (longest + 1) * 1_000_000_000L;
        long[] timer = new long[1];
        timer[0] = vertx.setPeriodic(20, t -> context.runOnContext(v -> {
            if (monitors.allChecked() || System.nanoTime() > deadline) {
                vertx.cancelTimer(timer[0]);
                p.tryComplete();
            }
        }));
        return p.future();
    }

    /**
     * A nanny changed its mind: sync the table. Before the first sync nothing is sent; that sync
     * computes the table from every nanny's state when it runs.
     */
    private void verdict(ServerId id) {
        if (tableStarted) {
            keeper.sync(List.of(id.service()));
        }
    }

    // ------------------------------------------------------------------ reload

    /** Re-reads lvs.cf and applies only what changed; a file with errors changes nothing. */
    public Future<JsonObject> reload() {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> reloadOnContext().onComplete(p));
        return p.future();
    }

    private Future<JsonObject> reloadOnContext() {
        LOG.info("rereading configuration file");
        long t0 = System.nanoTime();
        return read(document).recover(e -> {
            LOG.severe(() -> "reload refused: " + e.getMessage());
            return Future.failedFuture(e.getMessage());
        }).compose(doc -> reloadWith(doc, t0));
    }

    /** CPU time of the calling thread: what a step cost, whatever else the machine was doing. */
    private static long cpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static double ms(long from, long to) {
        return Math.round((to - from) / 1e4) / 100.0;
    }

    private Future<JsonObject> reloadWith(LvsCfDocument next, long t0) {
        long t1 = System.nanoTime();
        long cpu0 = cpuNanos();
        long[] cpu = {readCpuNanos, 0};
        if (next.hasErrors()) {
            next.errors().forEach(d -> LOG.severe(() -> "reload refused: " + d));
            return Future.failedFuture("reload refused, the running configuration stays:\n"
                    + String.join("\n", next.errors().stream().map(Object::toString).toList()));
        }
        Plan old = keeper.plan();
        Plan plan = planner.plan(next.config());
        List<String> changes = new ArrayList<>();
        List<Future<Void>> stops = new ArrayList<>();
        // Only services whose plan changed are looked at: a block the re-read took over is
        // planned as the same object, and its nannies and table entries stay as they are.
        Map<ServiceKey, Plan.Service> gone = old.byKey();
        Set<ServiceKey> touched = new LinkedHashSet<>();
        for (Plan.Service n : plan.services()) {
            Plan.Service s = gone.remove(n.spec().key());
            if (s == n || n.equals(s)) {
                continue;
            }
            touched.add(n.spec().key());
            if (s != null) {
                changedServers(s, n, changes, stops);
                if (!s.spec().equals(n.spec())) {
                    changes.add("changed virtual service " + n.name() + ": " + n.spec().ipvsadmOptions());
                }
            }
        }
        for (Plan.Service s : old.services()) {
            if (!gone.containsKey(s.spec().key())) {
                continue;
            }
            touched.add(s.spec().key());
            changedServers(s, null, changes, stops);
            LOG.info(() -> "shutting down virtual service " + s.name());
            changes.add("removed virtual service " + s.name() + " (" + s.spec().key() + ")");
        }
        long t2 = System.nanoTime();
        cpu[0] += cpuNanos() - cpu0;
        long[] t3 = new long[1];
        return Future.join(stops).compose(x -> {
            long cpu1 = cpuNanos();
            document = next;
            keeper.plan(plan);
            Map<ServiceKey, Plan.Service> before = old.byKey();
            for (ServiceKey key : touched) {
                Plan.Service s = keeper.planned(key);
                if (s == null) {
                    continue;
                }
                Plan.Service was = before.get(key);
                if (was == null) {
                    LOG.info(() -> "starting virtual service " + s.name() + " active: " + s.port());
                    changes.add("added virtual service " + s.name() + " (" + key + ")");
                }
                for (Plan.Server rs : s.servers().values()) {
                    if (!monitors.has(rs.id()) && !options.testStart()) {
                        if (was == null || !was.servers().containsKey(rs.id())) {
                            changes.add("added real server " + rs.id());
                        }
                        monitors.start(s.name(), rs);
                    }
                }
            }
            boolean timeouts = !plan.timeouts().equals(old.timeouts());
            Future<Void> t = timeouts ? keeper.timeouts(plan.timeouts()) : Future.succeededFuture();
            reloads++;
            t3[0] = System.nanoTime();
            Future<Void> synced = t.compose(y -> keeper.sync(touched));
            // A sync computes and hands over its changes before it returns; applying them is the backend's.
            cpu[1] = cpuNanos() - cpu1;
            return synced;
        }).map(x -> {
            long t4 = System.nanoTime();
            changes.forEach(c -> LOG.info(() -> "reload: " + c));
            return new JsonObject().put("reloaded", true).put("changes", changes).put("services_changed", touched.size())
                    .put("timings_ms", new JsonObject().put("read", ms(t0, t1)).put("plan", ms(t1, t2))
                            .put("nannies", ms(t2, t3[0])).put("table", ms(t3[0], t4)).put("total", ms(t0, t4))
                            .put("cpu", ms(0, cpu[0] + cpu[1])));
        });
    }

    /**
     * The real servers of a service whose plan changed ({@code n} null: removed): removed ones
     * stop, those whose check changed are stopped to be started again, a new weight is handed
     * to the running nanny.
     */
    private void changedServers(Plan.Service s, Plan.Service n, List<String> changes, List<Future<Void>> stops) {
        for (Plan.Server rs : s.servers().values()) {
            Plan.Server now = n == null ? null : n.servers().get(rs.id());
            if (now == null) {
                changes.add("removed real server " + rs.id());
                stops.add(monitors.stop(rs.id()));
                keeper.drain(rs.id(), false);
            } else if (!sameCheck(rs.check(), now.check())) {
                changes.add("restarted the nanny of " + rs.id() + " (check settings changed)");
                stops.add(monitors.stop(rs.id()));
            } else if (!rs.equals(now)) {
                if (rs.destination().weight() != now.destination().weight()) {
                    changes.add("weight of " + rs.id() + ": " + rs.destination().weight() + " -> " + now.destination().weight());
                }
                monitors.update(now);
            }
        }
    }

    /** Whether two nanny settings check the same way (the weight is applied without a restart). */
    static boolean sameCheck(NannyConfig a, NannyConfig b) {
        return a.withWeight(1).equals(b.withWeight(1));
    }

    // ------------------------------------------------------------------ operator actions

    /** drain, force-down, force-up or auto on one real server ({@code service} = name or ipvsadm form). */
    public Future<JsonObject> act(String action, String service, String server) {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> {
            try {
                ServerId id = find(service, server);
                switch (action) {
                    case "drain" -> keeper.drain(id, true);
                    case "force-down" -> monitors.override(id, Mode.FORCED_DOWN);
                    case "force-up" -> monitors.override(id, Mode.FORCED_UP);
                    case "auto" -> {
                        keeper.drain(id, false);
                        monitors.override(id, Mode.AUTO);
                    }
                    default -> throw new IllegalArgumentException("unknown action '" + action + "'");
                }
                LOG.info(() -> "operator: " + action + " " + id);
                context.runOnContext(x -> keeper.sync(List.of(id.service())).onComplete(ar -> p.complete(new JsonObject().put("ok", true))));
            } catch (IllegalArgumentException e) {
                p.fail(e.getMessage());
            }
        });
        return p.future();
    }

    private ServerId find(String service, String server) {
        if (service == null || server == null) {
            throw new IllegalArgumentException("name the virtual service (\"service\") and the real server (\"server\": IP:PORT)");
        }
        for (Plan.Service s : keeper.plan().services()) {
            if (s.name().equals(service) || s.spec().key().ipvsadm().equals(service)) {
                for (ServerId id : s.servers().keySet()) {
                    if (id.endpoint().equals(server)) {
                        return id;
                    }
                }
                throw new IllegalArgumentException("virtual service " + service + " has no active real server " + server);
            }
        }
        throw new IllegalArgumentException("no active virtual service " + service);
    }

    // ------------------------------------------------------------------ status

    /** The state for the control socket, the GUI and the metrics (see the control protocol). */
    public Future<JsonObject> status() {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> backend.stats().onComplete(ar -> context.runOnContext(x ->
                p.complete(StatusView.of(this, ar.succeeded() ? ar.result() : Map.of())))));
        return p.future();
    }

    LvsdOptions options() {
        return options;
    }

    LvsCfDocument document() {
        return document;
    }

    TableKeeper keeper() {
        return keeper;
    }

    Monitors monitors() {
        return monitors;
    }

    TableBackend backend() {
        return backend;
    }

    boolean isReady() {
        return ready.future().succeeded();
    }

    Instant started() {
        return started;
    }

    long reloads() {
        return reloads;
    }

    private Map<String, Function<JsonObject, Future<JsonObject>>> commands() {
        Map<String, Function<JsonObject, Future<JsonObject>>> c = new LinkedHashMap<>();
        c.put("status", r -> status());
        c.put("wait-ready", r -> ready.future().map(x -> new JsonObject().put("ready", true))
                .otherwise(e -> new JsonObject().put("ready", false).put("error", e.getMessage())));
        c.put("reload", r -> reload());
        for (String a : List.of("drain", "force-down", "force-up", "auto")) {
            c.put(a, r -> act(a, r.getString("service"), r.getString("server")));
        }
        return c;
    }

    // ------------------------------------------------------------------ shutdown

    /** Stops the nannies and removes the services lvsd programmed; others stay in the table. */
    public Future<Void> shutdown() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            if (watchTimer >= 0) {
                vertx.cancelTimer(watchTimer);
            }
            if (reconcileTimer >= 0) {
                vertx.cancelTimer(reconcileTimer);
            }
            if (keeper == null) {
                closeControl();
                p.complete();
                return;
            }
            keeper.plan().services().forEach(s -> LOG.info(() -> "shutting down virtual service " + s.name()));
            monitors.stopAll()
                    .compose(x -> keeper.removeAll())
                    .recover(e -> {
                        LOG.warning(() -> "removing the services failed: " + e.getMessage());
                        return Future.succeededFuture();
                    })
                    .compose(x -> backend.close())
                    .compose(x -> metrics == null ? Future.succeededFuture() : metrics.close())
                    .onComplete(ar -> {
                        closeControl();
                        p.complete();
                    });
        });
        return p.future();
    }

    private void closeControl() {
        if (control != null) {
            control.close();
        }
    }
}
