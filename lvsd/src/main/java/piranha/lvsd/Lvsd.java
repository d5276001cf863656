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
 * its control socket. This class holds the lifecycle (start-up, ready, shutdown) and wires the
 * parts: {@link Monitors} hand each verdict straight to {@link TableKeeper}, which programs the
 * backend; {@link Reload}, {@link ControlCommands}, {@link IntentRestore}, {@link EventStream},
 * {@link Housekeeping} and {@link Metrics} do the rest. Its state lives on one Vert.x context;
 * nannies and the control socket hand their work to it.
 */
public final class Lvsd {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");
    /** The start's failure when a TERM came first; {@link LvsdDaemon} exits 0 on it. */
    static final String TERMINATED_WHILE_STARTING = "terminated while starting";

    private final LvsdOptions options;
    private final Vertx vertx;
    private final Context context;
    private final Promise<Void> ready = Promise.promise();
    /** Completed by {@link #shutdown}: a start still under way stops at its next step. */
    private final Promise<Void> stopRequested = Promise.promise();
    private Future<Void> starting = Future.succeededFuture();
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
    private Housekeeping housekeeping;
    private final EventStream events = new EventStream();

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
        context.runOnContext(v -> (starting = stopRequested.future().isComplete() ? Future.failedFuture(TERMINATED_WHILE_STARTING)
                : startOnContext()).onComplete(ar -> {
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
        monitors.observeHealth(events::realServer);
        keeper.observeOps(metrics::tableOps);
        reload = new Reload(reader, planner, keeper, monitors, options.testStart(), document);
        intents = new Intents(Intents.beside(options.config())).load();
        IntentRestore restore = new IntentRestore(intents, keeper, monitors, events.log());
        housekeeping = new Housekeeping(vertx, context, monitors, restore, keeper, backend, options.reconcileInterval());
        if (!options.testStart()) {
            events.runNotifyPrograms(document.config().globals());
        }
        ControlCommands commands = new ControlCommands(context, keeper, monitors, this::status, ready.future(), this::reload, intents,
                events.log());
        try {
            control = ControlServer.start(options.controlSocket(), commands.handlers(), Duration.ofSeconds(60), options.controlGroup());
        } catch (IOException e) {
            return Future.failedFuture("cannot open the control socket " + options.controlSocket() + ": " + e.getMessage());
        }
        metrics.serve(options.metricsAt(document.config().globals()));
        LOG.info(() -> "table backend: " + backend.name() + (options.testStart() ? " (test start: nothing is changed)" : ""));
        for (Plan.Service s : plan.services()) {
            LOG.info(() -> "starting virtual service " + s.name() + " active: " + s.port());
        }
        Future<Void> nanniesUp = options.testStart() ? Future.succeededFuture() : monitors.startAll(plan);
        return nanniesUp
                .compose(x -> keeper.timeouts(plan.timeouts()).recover(e -> Future.succeededFuture()))
                // a TERM meanwhile ends the wait for the first verdicts and programs nothing
                .compose(x -> Future.any(monitors.firstChecks(plan), stopRequested.future()))
                .compose(x -> stopRequested.future().isComplete() ? Future.failedFuture(TERMINATED_WHILE_STARTING)
                        : Future.<Void>succeededFuture())
                .compose(x -> {
                    restore.restore(plan);
                    return Future.<Void>succeededFuture();
                })
                .compose(x -> keeper.start().recover(e -> {
                    LOG.warning(() -> "the first table update failed; lvsd keeps retrying: " + e.getMessage());
                    return Future.succeededFuture();
                }))
                .onSuccess(x -> {
                    housekeeping.start();
                    LOG.info(() -> "ready: " + plan.services().size() + " virtual service(s), " + monitors.size() + " nann"
                            + (monitors.size() == 1 ? "y" : "ies"));
                });
    }

    /** Re-reads lvs.cf and applies only what changed; a file with errors changes nothing. */
    public Future<JsonObject> reload() {
        Promise<JsonObject> p = Promise.promise();
        context.runOnContext(v -> {
            long start = System.nanoTime();
            reload.run().onSuccess(x -> {
                metrics.reloaded(System.nanoTime() - start);
                events.reconfigure(reload.document().config().globals());
                events.reloadApplied(reload.document().config().globals(), x);
            }).onFailure(e -> {
                metrics.reloadRefused();
                events.reloadRefused(e);
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

    /** The event stream (embedders and tests follow it without a socket). */
    public piranha.daemon.EventLog events() {
        return events.log();
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

    /**
     * Stops the nannies and removes the services lvsd programmed; others stay in the table. During
     * start-up it first cuts the start short (at its next step), so that nothing is programmed after
     * the removal.
     */
    public Future<Void> shutdown() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> {
            stopRequested.tryComplete();
            starting.onComplete(x -> shutdownNow(p));
        });
        return p.future();
    }

    private void shutdownNow(Promise<Void> p) {
        if (housekeeping != null) {
            housekeeping.stop();
        }
        if (keeper == null) {
            closeControl();
            p.tryComplete();
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
                    events.close();
                    metrics.close();
                    closeControl();
                    p.tryComplete();
                });
    }

    private void closeControl() {
        if (control != null) {
            control.close();
        }
    }
}
