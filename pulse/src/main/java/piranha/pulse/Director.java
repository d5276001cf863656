package piranha.pulse;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.ArpAnnouncer;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.exec.HookRunner;
import piranha.pulse.exec.SyncDaemon;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.state.Action;
import piranha.pulse.state.Input;

/**
 * Performs what the failover machine decides, in order, on its own thread ("director"), so the
 * heartbeat thread never waits for lvsd, ip or a hook.
 */
final class Director implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");
    /** lvsd re-reads and diffs lvs.cf on a worker of its own: seconds for tens of thousands of real servers. */
    static final Duration LVSD_RELOAD_TIMEOUT = Duration.ofSeconds(60);

    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), r -> RealtimeScheduling.thread("director", r));
    // The heartbeat thread hands work over through these, made (lambdas linked, thread started) before
    // it runs, so that nothing is linked, loaded or started there for the first time at a takeover.
    private final ConcurrentLinkedQueue<Long> activations = new ConcurrentLinkedQueue<>();
    private final Runnable activateTask = () -> activate(activations.remove());
    private final ConcurrentLinkedQueue<Boolean> deactivations = new ConcurrentLinkedQueue<>();
    private final Runnable deactivateTask = () -> deactivate(deactivations.remove());
    private final Runnable reannounceTask = this::reannounce;
    /** Restarts of lvsd wait here for their backoff, then run on the worker. */
    private final ScheduledThreadPoolExecutor restarts = new ScheduledThreadPoolExecutor(1,
            r -> RealtimeScheduling.thread("lvsd-restart", r));
    private final AtomicLong restartOf = new AtomicLong();
    private final Runnable restartTask = () -> worker.execute(() -> restartLvsd(restartOf.get()));
    private final AddressActions addresses;
    private final ArpAnnouncer arps;
    private final HookRunner hooks;
    private final SyncDaemon sync;
    private final LvsdSupervisor lvsd;
    private final Consumer<Input> feedback;
    private final Consumer<Integer> exit;
    /** Bumped per activate/deactivate request: an activation waiting for lvsd gives up when superseded. */
    private final AtomicLong requests = new AtomicLong();
    /** Set by the machine's Exit, on the heartbeat thread: every wait for lvsd gives up at once. */
    private volatile boolean exiting;
    private volatile PulseConfig config;
    private volatile List<Plumbing> plan;
    private volatile boolean plumbed;
    /** service = fos: the failover services, started after the addresses, stopped before them. */
    private volatile piranha.pulse.fos.FosServices fos;

    Director(PulseConfig config, List<Plumbing> plan, AddressActions addresses, ArpAnnouncer arps, HookRunner hooks,
             SyncDaemon sync, LvsdSupervisor lvsd, Consumer<Input> feedback, Consumer<Integer> exit) {
        this.config = config;
        this.plan = plan;
        this.addresses = addresses;
        this.arps = arps;
        this.hooks = hooks;
        this.sync = sync;
        this.lvsd = lvsd;
        this.feedback = feedback;
        this.exit = exit;
        worker.prestartAllCoreThreads();
        restarts.prestartAllCoreThreads();
        restarts.schedule(() -> { }, 0, TimeUnit.NANOSECONDS); // loads what a restart's schedule needs, now
    }

    private volatile piranha.daemon.EventLog events;

    /** Where lvsd's restarts are told (the event stream). */
    void events(piranha.daemon.EventLog log) {
        this.events = log;
    }

    /** An lvsd that never got ready: told to the event stream and to the machine. */
    private void lvsdFailed(String how) {
        piranha.daemon.EventLog log = events;
        if (log != null) log.publish("lvsd", new JsonObject().put("state", "failed").put("how", how));
        feedback.accept(new Input.LvsdFailed(how));
    }

    /** service = fos: from now on activation and deactivation carry these failover services. */
    void failoverServices(piranha.pulse.fos.FosServices services) {
        this.fos = services;
    }

    /** Called on the heartbeat thread; never blocks. */
    void accept(Action action) {
        if (action instanceof Action.Activate) {
            activations.add(requests.incrementAndGet());
            worker.execute(activateTask);
        } else if (action instanceof Action.Deactivate d) {
            requests.incrementAndGet();
            deactivations.add(d.lvsdStaysReady());
            worker.execute(deactivateTask);
        } else if (action instanceof Action.Reannounce) {
            worker.execute(reannounceTask);
        } else if (action instanceof Action.RestartLvsd r) {
            restartOf.set(requests.get()); // a deactivation meanwhile cancels it
            restarts.schedule(restartTask, r.delay().toNanos(), TimeUnit.NANOSECONDS);
        } else if (action instanceof Action.Exit e) {
            exiting = true;
            worker.execute(() -> {
                if (lvsd != null) lvsd.close(); // a warm standby lvsd outlives deactivation, not pulse
                exit.accept(e.status());
            });
        }
    }

    /**
     * With a warm standby lvsd is already ready and the addresses move at once. Cold (Piranha's order),
     * the table comes first: lvsd is started and waited for, then the addresses are added. The sync
     * daemon follows the addresses: it only copies connection state, the clients wait for the VIP.
     */
    private void activate(long id) {
        hooks.submit("active_cmd", config.activeCmd());
        if (lvsd != null) {
            try {
                lvsd.start(() -> superseded(id));
            } catch (LvsdSupervisor.NotReady e) {
                if (!superseded(id)) lvsdFailed("lvsd failed to start: " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (requests.get() != id) return; // deactivated meanwhile
        addresses.addAll(plan);
        plumbed = true;
        arps.announce(plan);
        sync.become("master");
        if (fos != null && requests.get() == id) fos.activate();
    }

    /** A newer activation or deactivation came, or pulse is exiting. */
    private boolean superseded(long id) {
        return exiting || requests.get() != id;
    }

    /** The machine stays active while lvsd is started again: the addresses stay where they are. */
    private void restartLvsd(long id) {
        if (lvsd == null || superseded(id)) return;
        try {
            lvsd.start(() -> superseded(id));
            LOG.info("lvsd restarted (pid " + lvsd.pid() + ")");
            piranha.daemon.EventLog log = events;
            if (log != null) log.publish("lvsd", new JsonObject().put("state", "restarted").put("pid", lvsd.pid()));
        } catch (LvsdSupervisor.NotReady e) {
            if (!superseded(id)) lvsdFailed("lvsd failed to start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void deactivate(boolean lvsdStaysReady) {
        long id = requests.get();
        hooks.submit("inactive_cmd", config.inactiveCmd());
        arps.cancel();
        sync.become("backup");
        if (fos != null) {
            fos.deactivate(); // stop_cmd while the service's address still exists (Piranha's order)
            fos.monitor();
        }
        addresses.removeAll(plan);
        plumbed = false;
        if (lvsd == null) return;
        if (!lvsdStaysReady) {
            lvsd.stop();
            return;
        }
        try {
            // No-op when it already runs. Not given up when an activation comes meanwhile: that one
            // waits behind this start for the same lvsd, sooner ready than a new one.
            lvsd.start(() -> exiting);
        } catch (LvsdSupervisor.NotReady e) {
            // the machine restarts it with back-off, so that a takeover does not wait for a cold start
            if (!superseded(id)) lvsdFailed("warm standby lvsd failed to start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reannounce() {
        hooks.submit("active_cmd", config.activeCmd());
        if (plumbed) {
            addresses.addAll(plan); // the loser may have been told to drop nothing of ours
            arps.announce(plan);
        }
    }

    /**
     * A reload: move to the new address plan (remove what went, add and announce what came; with
     * service = fos the failover services that went or changed stop before, the new ones start after), then
     * reload lvsd: by SIGHUP (Piranha's way, after pulse's own SIGHUP), or through its control socket
     * when {@code askLvsd}, completing with lvsd's reply (null after a signal, or when lvsd does not run).
     */
    CompletableFuture<JsonObject> reload(PulseConfig newConfig, List<Plumbing> newPlan, boolean askLvsd) {
        CompletableFuture<JsonObject> lvsdReply = new CompletableFuture<>();
        worker.execute(() -> {
            List<Plumbing> old = plan;
            config = newConfig;
            plan = newPlan;
            piranha.pulse.fos.FosServices f = fos;
            if (f != null) f.retire(newConfig.failovers()); // stop_cmd while the old addresses still exist
            if (plumbed) {
                List<Plumbing> gone = new ArrayList<>();
                for (Plumbing p : old) if (!newPlan.contains(p)) gone.add(p);
                addresses.removeAll(gone);
                List<Plumbing> added = new ArrayList<>();
                for (Plumbing p : newPlan) if (!old.contains(p)) added.add(p);
                addresses.addAll(added);
                if (!added.isEmpty()) arps.announce(newPlan);
            }
            if (f != null) f.admit(newConfig.failovers()); // start_cmd once the new addresses exist
            if (lvsd == null) {
                lvsdReply.complete(null);
            } else if (askLvsd) {
                lvsdReply.complete(lvsd.reloadThroughControlSocket(LVSD_RELOAD_TIMEOUT));
            } else {
                lvsd.reload();
                lvsdReply.complete(null);
            }
        });
        return lvsdReply;
    }

    long lvsdPid() {
        return lvsd == null ? 0 : lvsd.pid();
    }

    /** service = fos: each failover service's role here, health and last check; empty in LVS mode. */
    java.util.List<piranha.pulse.fos.FosServices.State> failoverStates() {
        piranha.pulse.fos.FosServices f = fos;
        return f == null ? java.util.List.of() : f.states();
    }

    boolean plumbed() {
        return plumbed;
    }

    @Override
    public void close() {
        restarts.shutdownNow();
        worker.shutdown();
        try {
            worker.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        arps.close();
        hooks.close();
    }
}
