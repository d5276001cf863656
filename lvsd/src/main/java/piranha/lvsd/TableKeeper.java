package piranha.lvsd;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import piranha.dataplane.DestinationSpec;
import piranha.dataplane.ServiceKey;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableDiff;
import piranha.lvsd.table.TableOp;
import piranha.nanny.HealthState;
import piranha.nanny.NannySnapshot;

/**
 * Keeps the backend's table equal to the desired one: the plan's services, each with the real
 * servers their nannies say are up (or quiesced at weight 0), or its sorry server while none is up.
 * Changes are computed as a diff and applied one batch at a time; requests made meanwhile are
 * folded into the next batch. A failed batch is logged and retried after re-reading the table.
 * The sorry server follows in-process state, so there is no start-up flap. Runs on lvsd's context.
 */
final class TableKeeper {
    private static final Logger LOG = Logger.getLogger("piranha.lvsd");
    private static final long MAX_RETRY_MS = 30_000;
    /** IPVS's largest weight (ipvsadm -w 0-65535). */
    private static final int MAX_WEIGHT = 65535;

    private final Vertx vertx;
    private final Context context;
    private final TableBackend backend;
    /** Each real server's nanny as it stands, with the weight it wants in the table (the nanny owns it). */
    private final Function<ServerId, Optional<NannySnapshot>> health;
    private final Set<ServerId> drained = new HashSet<>();
    /** Real servers a reload removed, at weight 0 until their connections end. */
    private final LeavingServers leaving = new LeavingServers();
    private final Set<ServiceKey> sorryOn = new HashSet<>();
    /** Services whose part of the table may have to change; all of them when {@code allDirty}. */
    private final Set<ServiceKey> dirty = new LinkedHashSet<>();
    private boolean allDirty;
    private Plan plan;
    private Map<ServiceKey, Plan.Service> byKey;
    private Table applied = Table.EMPTY;
    /** False until the first table is programmed: verdicts before it change nothing. */
    private boolean started;
    private boolean readFirst = true;
    private boolean inFlight;
    private boolean again;
    private boolean reconcile;
    private long retryMs = 1000;
    private long retryTimer = -1;
    private long syncs;
    private long failures;
    private long repairs;
    private Promise<Void> waiting;
    /** Hears each batch handed to the backend and whether it was applied (the metrics). */
    private java.util.function.BiConsumer<List<TableOp>, Boolean> opsObserver = (ops, ok) -> {};

    TableKeeper(Vertx vertx, Context context, TableBackend backend, Function<ServerId, Optional<NannySnapshot>> health,
            Plan plan) {
        this.vertx = vertx;
        this.context = context;
        this.backend = backend;
        this.health = health;
        plan(plan);
    }

    void observeOps(java.util.function.BiConsumer<List<TableOp>, Boolean> observer) {
        this.opsObserver = observer;
    }

    void plan(Plan p) {
        plan = p;
        byKey = p.byKey();
        sorryOn.retainAll(p.declared());
    }

    Plan plan() {
        return plan;
    }

    /** The planned service with this identity, or null. */
    Plan.Service planned(ServiceKey key) {
        return byKey.get(key);
    }

    /** Operator drain: the server stays in the table at weight 0 and takes no new connections. */
    void drain(ServerId id, boolean on) {
        if (on) {
            drained.add(id);
        } else {
            drained.remove(id);
        }
    }

    /** A reload removed this real server from its service: it drains at weight 0 for at most {@code bound}. */
    void leave(ServerId id, java.time.Duration bound) {
        leaving.leave(id, applied, bound);
    }

    /** Real servers still draining after a reload removed them. */
    Set<ServerId> leaving() {
        return leaving.ids();
    }

    /**
     * Takes out of the table the removed real servers whose connections have ended or whose bound has
     * passed; called every second while any is leaving, with the backend's counters.
     */
    void expireLeaving(Map<ServiceKey, Map<String, piranha.dataplane.DestinationStats>> stats) {
        if (leaving.isEmpty()) {
            return;
        }
        Set<ServiceKey> touched = leaving.expire(stats, byKey);
        if (!touched.isEmpty()) {
            sync(touched);
        }
    }

    boolean drained(ServerId id) {
        return drained.contains(id);
    }

    boolean sorryActive(ServiceKey key) {
        return sorryOn.contains(key);
    }

    /** The table as lvsd last programmed it. */
    Table applied() {
        return applied;
    }

    long syncs() {
        return syncs;
    }

    long failures() {
        return failures;
    }

    long repairs() {
        return repairs;
    }

    /** The table lvs.cf and the nannies ask for now. */
    Table desired() {
        Table.Builder b = new Table.Builder();
        for (Plan.Service s : plan.services()) {
            desired(b, s);
        }
        return b.build();
    }

    /** The part of {@link #desired()} that holds the services {@code keys}. */
    private Table desired(Set<ServiceKey> keys) {
        Table.Builder b = new Table.Builder();
        for (ServiceKey key : keys) {
            Plan.Service s = byKey.get(key);
            if (s != null) {
                desired(b, s);
            }
        }
        return b.build();
    }

    private void desired(Table.Builder b, Plan.Service s) {
        ServiceKey key = s.spec().key();
        b.service(s.spec());
        boolean anyUp = false;
        for (Plan.Server rs : s.servers().values()) {
            Optional<Integer> w = weight(rs);
            if (w.isPresent()) {
                b.destination(key, rs.destination().withWeight(w.get()));
                anyUp |= w.get() > 0;
            }
        }
        if (!leaving.isEmpty()) {
            leaving.addTo(b, s);
        }
        Optional<DestinationSpec> sorry = s.sorryDestination();
        boolean wantSorry = sorry.isPresent() && !anyUp;
        if (wantSorry) {
            b.destination(key, sorry.get());
        }
        if (wantSorry && sorryOn.add(key)) {
            LOG.info(() -> "Virtual Server " + s.name() + ": No real servers; activate sorry_server " + piranha.dataplane.Addresses.text(sorry.get().address().getAddress()));
        } else if (!wantSorry && sorryOn.remove(key)) {
            LOG.info(() -> "Virtual Server " + s.name() + ": real server available; deactivate sorry_server " + piranha.dataplane.Addresses.text(sorry.get().address().getAddress()));
        }
    }

    /**
     * A real server's weight in the table, or empty when it is out: the nanny's (slow start, load
     * monitor, a reloaded configured weight: it owns the weight), 0 while quiesced or drained, and
     * at most IPVS's largest weight.
     */
    private Optional<Integer> weight(Plan.Server rs) {
        Optional<NannySnapshot> snap = health.apply(rs.id());
        if (snap.isEmpty() || snap.get().state() == HealthState.DOWN) {
            return Optional.empty();
        }
        if (snap.get().state() == HealthState.QUIESCED || drained.contains(rs.id())) {
            return Optional.of(0);
        }
        return Optional.of(Math.min(MAX_WEIGHT, snap.get().weight()));
    }

    /**
     * Programs the first table, from every nanny's state when it runs; from then on each verdict
     * syncs its service.
     */
    Future<Void> start() {
        started = true;
        return sync();
    }

    /** A nanny changed its mind (or died): sync its service, once the first table is programmed. */
    void verdict(ServerId id) {
        if (started) {
            sync(List.of(id.service()));
        }
    }

    /** Asks for a sync of the whole table; returns when a sync that started after this request has finished. */
    Future<Void> sync() {
        allDirty = true;
        return request();
    }

    /**
     * Asks for a sync of these services only (a verdict, an operator action, a reload that
     * changed them): the rest of the table stays as lvsd last programmed it.
     */
    Future<Void> sync(Collection<ServiceKey> keys) {
        dirty.addAll(keys);
        return request();
    }

    private Future<Void> request() {
        if (waiting == null) {
            waiting = Promise.promise();
        }
        Future<Void> f = waiting.future();
        if (inFlight) {
            again = true;
        } else {
            run();
        }
        return f;
    }

    /** {@link #reconcile()} from a thread that is not lvsd's (tests, the control socket). */
    Future<Void> reconcileFromAnyThread() {
        Promise<Void> p = Promise.promise();
        context.runOnContext(x -> reconcile().onComplete(p));
        return p.future();
    }

    /** Re-reads the backend's table before the next sync, to repair what others changed. */
    Future<Void> reconcile() {
        readFirst = true;
        reconcile = true;
        return sync();
    }

    private void run() {
        inFlight = true;
        Promise<Void> done = waiting;
        waiting = null;
        boolean read = readFirst;
        boolean repairing = reconcile;
        reconcile = false;
        Set<ServiceKey> only = read || allDirty ? null : new LinkedHashSet<>(dirty);
        dirty.clear();
        allDirty = false;
        Future<Table> current = read ? backend.read().map(t -> t.only(owned())) : Future.succeededFuture(applied);
        Table[] target = new Table[1];
        List<List<TableOp>> handed = new java.util.ArrayList<>(1);
        current.compose(cur -> {
            List<TableOp> ops;
            if (only == null) {
                target[0] = desired();
                ops = TableDiff.between(cur, target[0]);
            } else {
                Table part = desired(only);
                ops = TableDiff.between(cur, part, only);
                target[0] = cur.with(part, only);
            }
            if (ops.isEmpty()) {
                return Future.succeededFuture();
            }
            if (repairing && !cur.equals(applied)) {
                repairs++;
                LOG.warning(() -> "the table differs from what lvsd programmed; repairing with " + ops.size() + " change(s)");
            }
            ops.forEach(op -> LOG.fine(() -> "table: " + op));
            handed.add(ops);
            return backend.apply(ops);
        }).onComplete(ar -> context.runOnContext(v -> {
            inFlight = false;
            handed.forEach(ops -> opsObserver.accept(ops, ar.succeeded()));
            syncs++;
            if (ar.succeeded()) {
                applied = target[0];
                readFirst = false;
                retryMs = 1000;
                if (done != null) {
                    done.complete();
                }
            } else {
                failures++;
                readFirst = true;
                long delay = retryMs;
                retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
                LOG.warning(() -> backend.name() + " failed: " + ar.cause().getMessage() + "; retrying in " + delay + " ms");
                if (done != null) {
                    done.fail(ar.cause());
                }
                if (retryTimer < 0) {
                    retryTimer = vertx.setTimer(delay, t -> context.runOnContext(x -> {
                        retryTimer = -1;
                        sync();
                    }));
                }
            }
            if (again) {
                // The requests made meanwhile, as they were made: the services they named, or the
                // whole table if one asked for it (or a failure made the next run read it first).
                again = false;
                request();
            }
        }));
    }

    /** The services lvsd may change: those lvs.cf declares, and those it programmed before. */
    private Set<ServiceKey> owned() {
        Set<ServiceKey> owned = new LinkedHashSet<>(plan.declared());
        owned.addAll(applied.services().keySet());
        return owned;
    }

    /** Sets the IPVS timeouts when lvs.cf sets any (0 leaves the kernel's value). */
    Future<Void> timeouts(TableOp.SetTimeouts t) {
        if (t.isEmpty()) {
            return Future.succeededFuture();
        }
        return backend.apply(List.of(t)).onFailure(e -> LOG.log(Level.WARNING, "setting IPVS timeouts failed: " + e.getMessage()));
    }

    /** Removes every service lvsd programmed (shutdown); others stay as they are. */
    Future<Void> removeAll() {
        Plan empty = new Plan(List.of(), plan.timeouts(), plan.declared());
        plan = empty;
        return sync();
    }
}
