package piranha.pulse;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import piranha.daemon.ControlServer;
import piranha.daemon.EventHooks;
import piranha.daemon.EventLog;
import piranha.daemon.ProcessRunner;
import piranha.daemon.RealtimeScheduling;
import piranha.daemon.ScriptUser;
import piranha.daemon.metrics.MetricsServer;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.AddressLedger;
import piranha.pulse.address.ArpAnnouncer;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.exec.HookRunner;
import piranha.pulse.exec.SyncDaemon;
import piranha.pulse.fos.FosServices;
import piranha.pulse.fos.TrackedChecks;
import piranha.pulse.heartbeat.HeartbeatCodec;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Input;

/**
 * A heartbeat director (service = lvs or fos) put together from its parts: lvsd's supervisor, the
 * {@link Director}, the failover services, the heartbeat thread and its machine, the partner sync,
 * the control socket and metrics, signals, link monitoring and tracked checks; run until the machine
 * says to exit, then closed in order.
 */
final class DirectorAssembly {
    private final PulseOptions opts;
    private final long startedNanos;
    private final Instant startedAt;
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile int exitStatus;
    /** pulse's state changes in order, for {@code lvsadm events} (README, "Events"). */
    private final EventLog events = new EventLog("pulse");
    /** lvs.cf's notify_ programs for pulse's events (not in test-start: nothing is run then). */
    private final EventHooks notifier = new EventHooks("pulse", ProcessRunner.shared(),
            r -> RealtimeScheduling.thread("notify", r));

    /**
     * @param startedNanos pulse's start on the monotonic clock
     * @param startedAt    the same moment on the wall clock
     */
    DirectorAssembly(PulseOptions opts, long startedNanos, Instant startedAt) {
        this.opts = opts;
        this.startedNanos = startedNanos;
        this.startedAt = startedAt;
    }

    /** Runs the director on a checked lvs.cf; the exit status. */
    int run(PulseConfig cfg, Node self, ConfigStamp stamp, ScriptUser scriptUser, List<Plumbing> plan, HeartbeatCodec codec)
            throws Exception {
        PulseConfig.Extensions ext = cfg.extensions();
        opts.dropMissingControlGroup();
        CommandRunner runner = new CommandRunner(opts.testStart);
        // the heartbeat loop needs the director, the director hands the loop its inputs: tied through this
        AtomicReference<HeartbeatLoop> loopRef = new AtomicReference<>();
        LvsdSupervisor lvsd = opts.testStart || cfg.fos() ? null : new LvsdSupervisor(new LvsdSupervisor.Options(
                opts.lvsd(), opts.configFile, opts.foreground, opts.verbose, opts.lvsdSocket,
                ext.lvsdReadyTimeout(), opts.controlGroup), how -> {
                    events.publish("lvsd", new JsonObject().put("state", "failed").put("how", how));
                    loopRef.get().input(new Input.LvsdFailed(how));
                });
        // before the first heartbeat: as a backup this pulse would not start lvsd, so would not meet it there
        if (lvsd != null) lvsd.retireLeftOver();
        HookRunner hooks = new HookRunner(runner, ext.hookTimeout()).runAs(scriptUser);
        AddressActions addresses = new AddressActions(runner, AddressActions.DEFAULT_IP);
        AddressLedger ledger = opts.testStart ? null : AddressLedger.open(AddressLedger.fileFor(opts.controlSocket));
        if (ledger != null) addresses.recordingIn(ledger);
        Director director = new Director(cfg, plan, addresses,
                new ArpAnnouncer(ext.garpCount(), ext.garpInterval(), opts.testStart),
                hooks, new SyncDaemon(runner, cfg), lvsd,
                in -> loopRef.get().input(in), status -> {
                    exitStatus = status;
                    exited.countDown();
                });
        FosServices fos = cfg.fos() ? new FosServices(cfg.failovers(), runner, ext.hookTimeout(),
                in -> loopRef.get().input(in)) : null;
        if (fos != null) {
            director.failoverServices(fos);
            fos.onStateChange(st -> events.publish("failover_service", new JsonObject().put("service", st.name())
                    .put("role", st.role()).put("health", st.health()).put("reason", st.lastResult())));
        }
        director.events(events);
        if (!opts.testStart) {
            notifier.configure(ConfigReload.notifySettings(cfg, scriptUser));
            events.listen(notifier);
        }
        FailoverMachine machine = new FailoverMachine(HeartbeatSetup.settings(cfg, self, opts.forceActive), System::nanoTime);
        HeartbeatLoop loop;
        try {
            loop = new HeartbeatLoop(self.heartbeatPaths(), cfg.heartbeatPort(), cfg.keepalive(), codec, machine,
                    director::accept, cfg.hasBackup());
        } catch (IOException e) {
            System.err.println("pulse: " + e.getMessage());
            director.close();
            return 1;
        }
        loopRef.set(loop);
        LinkWatch links = new LinkWatch(loop, events);
        ConfigReload reload = new ConfigReload(opts, cfg, self, stamp, loop, director, hooks, notifier, links, events);
        loop.onTransition((active, reason) -> events.publish("director", new JsonObject()
                .put("state", active ? "active" : "standby").put("role", reload.node().primary() ? "primary" : "backup")
                .put("reason", reason)));
        PartnerSync sync = new PartnerSync(opts, cfg, self, loop, reload::checkReceived, reload::reloadForPartner);
        reload.syncWith(sync);

        PulseControl control = new PulseControl(loop, director, startedNanos, startedAt, links, reload);
        ControlServer socket;
        try {
            socket = control.openSocket(opts, sync, events);
        } catch (IOException e) {
            System.err.println("pulse: cannot open the control socket " + opts.controlSocket + ": " + e.getMessage());
            sync.close();
            loop.close();
            director.close();
            return 1;
        }

        // the control socket is this pulse's now: whatever the ledger still records, an earlier pulse left
        if (ledger != null) Release.leftBehind(ledger, addresses);
        MetricsServer metricsServer = control.startMetrics(opts.metrics, cfg);
        // builds a status once before the heartbeat thread runs, so the JSON classes are not loaded on
        // it at the first status request
        control.status(loop).encode();
        SignalHandlers.install(loop, reload);
        loop.start();
        links.start(cfg, self);
        TrackedChecks tracks = new TrackedChecks(failing -> loop.input(new Input.TrackedChecks(failing)));
        reload.track(tracks);
        tracks.apply(opts.testStart ? List.of() : cfg.tracks(), scriptUser); // -t: nothing is run
        exited.await();
        tracks.close();
        links.close();
        socket.close();
        sync.close();
        if (metricsServer != null) metricsServer.close();
        loop.close();
        director.close();
        if (fos != null) fos.close();
        notifier.close();
        return exitStatus;
    }
}
