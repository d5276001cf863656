package piranha.lvsd;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlServer;
import piranha.daemon.Logs;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.model.Backend;
import piranha.lvscf.model.Globals;
import piranha.lvsd.backend.TableBackend;
import piranha.nanny.check.CheckEnvironment;

/**
 * The director's table daemon: reads lvs.cf, runs a nanny per active real server, keeps the table
 * in the backend equal to what lvs.cf and the nannies ask for, reloads as a diff, and answers on
 * its control socket. This class holds the lifecycle (start, shutdown); {@link Reload},
 * {@link ControlCommands}, {@link TableKeeper} and {@link Monitors} do the work. Its state lives on
 * one Vert.x context; nannies and the control socket hand their work to it.
 */
public final class Lvsd {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");

    private final LvsdOptions options;
    private final Vertx vertx;
    private final Context context;
    private final Promise<Void> ready = Promise.promise();
    private final Instant started = Instant.now();
    private final ConfigReader reader;
    private final Planner planner = new Planner();
    private TableBackend backend;
    private Monitors monitors;
    private TableKeeper keeper;
    private Reload reload;
    private ControlServer control;
    private Metrics metrics;
    private Intents intents;
    /** The state changes in order, for {@code lvsadm events} (README, "Events"). */
    private final piranha.daemon.EventLog events = new piranha.daemon.EventLog("lvsd");
    /** lvs.cf's notify_ programs for lvsd's events. */
    private final piranha.daemon.EventHooks hooks = new piranha.daemon.EventHooks("piranha.lvsd",
            piranha.daemon.ProcessRunner.shared(), r -> {
                Thread t = new Thread(r, "notify");
                t.setDaemon(true);
                return t;
            });
    private final java.util.Set<ServerId> pendingIntents = new java.util.LinkedHashSet<>();
    private long watchTimer = -1;
    private long reconcileTimer = -1;

    /** Builds the table backend once lvs.cf is read; {@link Backends} unless embedded. */
    @FunctionalInterface
    public interface BackendFactory {
        TableBackend create(Vertx vertx, Backend kind, Globals globals, Supplier<Plan> plan, boolean testStart);
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
        this.reader = new ConfigReader(vertx, options.config());
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
        return reader.read(null).compose(read -> {
            LvsCfDocument doc = read.document();
            if (doc.hasErrors()) {
                return Future.failedFuture("error parsing " + options.config() + ":\n"
                        + String.join("\n", doc.errors().stream().map(Object::toString).toList()));
            }
            return startWith(doc);
        });
    }

    private Future<Void> startWith(LvsCfDocument document) {
        document.diagnostics().forEach(d -> LOG.warning(d::toString));
        Backend backendKind = Backends.choose(options.backend(), document.config().globals());
        Plan plan = planner.plan(document.config());
        try {
            backend = backends.create(vertx, backendKind, document.config().globals(), () -> keeper == null ? plan : keeper.plan(),
                    options.testStart());
        } catch (RuntimeException e) {
            return Future.failedFuture(e.getMessage());
        }
        monitors = new Monitors(vertx, context, CheckEnvironment.create(vertx));
        keeper = new TableKeeper(vertx, context, backend, monitors::snapshot, plan);
        monitors.onVerdict(keeper::verdict);
        metrics = new Metrics(this::status);
        monitors.observeChecks(metrics::checked);
        monitors.observeHealth((service, server, v) -> events.publish("real_server", new JsonObject()
                .put("service", service).put("server", server.id().endpoint()).put("name", server.name())
                .put("health", v.state().name().toLowerCase()).put("weight", v.weight()).put("reason", v.reason())));
        keeper.observeOps(metrics::tableOps);
        reload = new Reload(reader, planner, keeper, monitors, options.testStart(), document);
        intents = new Intents(Intents.beside(options.config())).load();
        if (!options.testStart()) {
            hooks.configure(hookSettings(document.config().globals()));
            events.listen(hooks);
        }
        ControlCommands commands = new ControlCommands(context, keeper, monitors, this::status, ready.future(), this::reload, intents, events);
        try {
            control = ControlServer.start(options.controlSocket(), commands.handlers(), Duration.ofSeconds(60), options.controlGroup());
        } catch (IOException e) {
            return Future.failedFuture("cannot open the control socket " + options.controlSocket() + ": " + e.getMessage());
        }
        piranha.lvscf.model.Listen metricsAt = options.metricsAt(document.config().globals());
        if (!metricsAt.off()) {
            try {
                metrics.listen(new java.net.InetSocketAddress(metricsAt.host(), metricsAt.port()));
            } catch (IOException | RuntimeException e) {
                // metrics never cost the director its table
                LOG.warning(() -> "cannot serve metrics on " + metricsAt + ": " + e.getMessage() + "; lvsd runs without them");
            }
        }
        LOG.info(() -> "table backend: " + backend.name() + (options.testStart() ? " (test start: nothing is changed)" : ""));
        for (Plan.Service s : plan.services()) {
            LOG.info(() -> "starting virtual service " + s.name() + " active: " + s.port());
        }
        Future<Void> nanniesUp = options.testStart() ? Future.succeededFuture() : monitors.startAll(plan);
        return nanniesUp
                                .compose(x -> keeper.timeouts(plan.timeouts()).recover(e -> Future.succeededFuture()))
                .compose(x -> firstChecks(plan))
                .compose(x -> {
                    restoreIntents(plan);
                    return Future.<Void>succeededFuture();
                })
                .compose(x -> keeper.start().recover(e -> {
                    LOG.warning(() -> "the first table update failed; lvsd keeps retrying: " + e.getMessage());
                    return Future.succeededFuture();
                }))
                .onSuccess(x -> {
                    watchTimer = vertx.setPeriodic(1000, t -> context.runOnContext(y -> {
                        monitors.watch();
                        if (!pendingIntents.isEmpty()) {
                            retryIntents();
                        }
                        if (!keeper.leaving().isEmpty()) {
                            backend.stats().onSuccess(stats -> context.runOnContext(z -> keeper.expireLeaving(stats)));
                        }
                    }));
                    long every = options.reconcileInterval().toMillis();
                    if (every > 0) {
                        reconcileTimer = vertx.setPeriodic(every, t -> context.runOnContext(y -> keeper.reconcile()));
                    }
                    LOG.info(() -> "ready: " + plan.services().size() + " virtual service(s), " + monitors.size() + " nann"
                            + (monitors.size() == 1 ? "y" : "ies"));
                });
    }

    /** Drains and forced states the state file kept across a restart, applied before the first table. */
    private void restoreIntents(Plan plan) {
        for (Plan.Service s : plan.services()) {
            for (ServerId id : s.servers().keySet()) {
                if (intents.of(id) != null) {
                    pendingIntents.add(id);
                }
            }
        }
        retryIntents();
    }

    /** Applies the restored intents whose nanny runs; the others are tried again every second. */
    private void retryIntents() {
        for (var it = pendingIntents.iterator(); it.hasNext();) {
            ServerId id = it.next();
            Intents.Intent i = intents.of(id);
            ControlCommands.Action a = i == null ? null : ControlCommands.action(i.action());
            if (a == null || a == ControlCommands.Action.AUTO || keeper.planned(id.service()) == null) {
                it.remove();
                continue;
            }
            try {
                a.apply(keeper, monitors, id);
            } catch (IllegalArgumentException e) {
                continue; // its nanny is (re)starting
            }
            it.remove();
            keeper.sync(java.util.List.of(id.service()));
            events.publish("operator", ControlCommands.operatorEvent(keeper, id, i.action(), i.reason(), i.who())
                    .put("restored", true));
            LOG.info(() -> "operator intent restored: " + i.action() + " " + id + " (by " + i.who() + " at " + i.when()
                    + (i.reason() == null ? "" : ": " + i.reason()) + ")");
        }
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

    /** Re-reads lvs.cf and applies only what changed; a file with errors changes nothing. */
    public Future<JsonObject> reload() {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> {
            long start = System.nanoTime();
            reload.run().onSuccess(x -> {
                metrics.reloaded(System.nanoTime() - start);
                hooks.configure(hookSettings(reload.document().config().globals()));
                events.publish("reload", new JsonObject().put("applied", true)
                        .put("serial_no", reload.document().config().globals().serialNo())
                        .put("changes", x.getValue("changes")));
            }).onFailure(e -> {
                metrics.reloadRefused();
                events.publish("reload", new JsonObject().put("applied", false).put("error", e.getMessage()));
            }).onComplete(p);
        });
        return p.future();
    }

    /** The state for the control socket, the GUI and the metrics (see the control protocol). */
    public Future<JsonObject> status() {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> backend.stats().onComplete(ar -> context.runOnContext(x ->
                p.complete(StatusView.of(daemon(), keeper, monitors, ar.succeeded() ? ar.result() : Map.of(), intents)))));
        return p.future();
    }

    private StatusView.Daemon daemon() {
        var globals = reload.document().config().globals();
        return new StatusView.Daemon(ready.future().succeeded(), started, backend.name(), globals.network().keyword(),
                options.config().toString(), globals.serialNo(), options.testStart(), reload.count(), Logs.droppedLines());
    }

    /** notify_KIND of lvs.cf, run as script_user; an unknown user was refused with the file, so none is left here. */
    private static piranha.daemon.EventHooks.Settings hookSettings(Globals g) {
        piranha.daemon.ScriptUser user;
        try {
            user = piranha.daemon.ScriptUser.of(g.scriptUser().orElse(null));
        } catch (IOException e) {
            LOG.warning(() -> "notify programs: " + e.getMessage() + "; they run as lvsd's user");
            user = piranha.daemon.ScriptUser.DAEMON;
        }
        return new piranha.daemon.EventHooks.Settings(g.notifyPrograms(), g.notifyTimeout(), user);
    }

    /** The event stream (embedders and tests follow it without a socket). */
    public piranha.daemon.EventLog events() {
        return events;
    }

    /** The table keeper, for tests that drive a reconcile. */
    TableKeeper keeper() {
        return keeper;
    }

    /** The port metrics are served on, 0 when they are not (tests ask for port 0). */
    public int metricsPort() {
        return metrics == null ? 0 : metrics.port();
    }

    /** The table backend, for tests that read it. */
    TableBackend backend() {
        return backend;
    }

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
                    .onComplete(ar -> {
                        hooks.close();
                        metrics.close();
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
