package piranha.pulse;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import piranha.daemon.ControlServer;
import piranha.daemon.EventLog;
import piranha.daemon.ScriptUser;
import piranha.daemon.RealtimeScheduling;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.AddressLedger;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.address.ArpAnnouncer;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfigSource.ConfigException;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.exec.HookRunner;
import piranha.pulse.exec.SyncDaemon;
import piranha.pulse.fos.TrackedChecks;
import piranha.pulse.group.VipGroups;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Input;
import sun.misc.Signal;

/**
 * pulse with {@code vip_group} blocks: one heartbeat pair per group. Each group has its own failover
 * machine, heartbeat thread (its port, the pair's key) and {@link Director} moving only its addresses,
 * so director A can carry one group while B carries another, each backing the other. lvsd runs all
 * the time with the whole table, as a warm standby's does: a group's failover only moves addresses.
 */
final class GroupedDirector {
    private static final Logger LOG = Logger.getLogger("pulse");

    /** One group at work: what it was built from and its running parts. */
    private record Running(VipGroups.Group group, Node node, HeartbeatLoop loop, Director director, LinkWatch links) {}

    private final PulseOptions opts;
    private final long startedNanos;
    private final Instant startedAt;
    /** Replaced whole by a reload (its groups' new addresses), read by the status. */
    private volatile List<Running> groups = List.of();
    private final CountDownLatch exited;
    /** The groups lvs.cf gave at start (a reload may change their addresses, never their number). */
    private final List<VipGroups.Group> initial;
    private final ScheduledExecutorService lvsdKeeper = Executors.newSingleThreadScheduledExecutor(
            r -> RealtimeScheduling.thread("lvsd-keeper", r));
    private LvsdSupervisor lvsd;
    /** Counted down when lvsd's first start has ended, ready or not: the groups take their addresses after it. */
    private final CountDownLatch lvsdFirstStart = new CountDownLatch(1);
    private volatile boolean terminating;
    private volatile int lvsdRestarts;
    /** Doubles while lvsd keeps failing, back to 1 s once it is ready (as the pair's lone primary does). */
    private Duration lvsdBackoff = Duration.ofSeconds(1);
    private LvsCfSource.Loaded current;
    /** The floating addresses every group has added (none in test-start mode). */
    private AddressLedger ledger;
    /** lvs.cf's primary is one of this host's addresses (the pair's role; each group has its own). */
    private boolean pairPrimary;

    GroupedDirector(PulseOptions opts, long startedNanos, Instant startedAt, LvsCfSource.Loaded loaded) {
        this.opts = opts;
        this.startedNanos = startedNanos;
        this.startedAt = startedAt;
        this.current = loaded;
        this.initial = VipGroups.split(loaded.config(), loaded.vipGroups());
        this.exited = new CountDownLatch(initial.size());
    }

    /** Runs until every group has stopped (SIGTERM, SIGINT); the exit status. */
    int run() throws Exception {
        PulseConfig pair = current.config();
        opts.dropMissingControlGroup();
        if (pair.activeCmd() != null || pair.inactiveCmd() != null || pair.syncDaemon()) {
            LOG.warning("vip_group blocks: active_cmd, inactive_cmd and syncdaemon are not run (they belong to no group)");
        }
        CommandRunner runner = new CommandRunner(opts.testStart);
        HookRunner hooks = new HookRunner(runner, pair.extensions().hookTimeout());
        List<InetAddress> local = piranha.pulse.address.LocalAddresses.all();
        pairPrimary = local.contains(pair.primary());
        ledger = opts.testStart ? null : AddressLedger.open(AddressLedger.fileFor(opts.controlSocket));
        List<Running> started = new ArrayList<>();
        try {
            for (VipGroups.Group g : initial) started.add(start(g, local, runner, hooks));
            groups = List.copyOf(started);
        } catch (IOException | IllegalArgumentException e) {
            groups = List.copyOf(started);
            System.err.println("pulse: " + e.getMessage());
            closeGroups();
            return 1;
        }
        ControlServer control;
        try {
            control = ControlServer.start(opts.controlSocket, Map.of(
                    "status", req -> Future.fromCompletionStage(status()),
                    "reload", req -> Future.fromCompletionStage(CompletableFuture.supplyAsync(this::reload, lvsdKeeper))),
                    Director.LVSD_RELOAD_TIMEOUT.plusSeconds(15), opts.controlGroup, r -> RealtimeScheduling.thread("control", r));
        } catch (IOException e) {
            System.err.println("pulse: cannot open the control socket " + opts.controlSocket + ": " + e.getMessage());
            closeGroups();
            return 1;
        }
        // the control socket is this pulse's now: whatever the ledger still records, an earlier pulse left
        if (ledger != null) Release.leftBehind(ledger, addressActions(runner));
        for (Running r : groups) {
            LOG.info("vip_group " + r.group().name() + ": " + (r.node().primary() ? "primary" : "backup") + ", heartbeat port "
                    + r.group().config().heartbeatPort() + ", " + addresses(r.group()));
        }
        startLvsd();
        // Piranha's order, table first: no group takes an address before lvsd has had its chance to be ready
        lvsdFirstStart.await(pair.extensions().lvsdReadyTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> terminate(s.getNumber()));
        }
        Signal.handle(new Signal("HUP"), s -> lvsdKeeper.execute(this::reload));
        for (Running r : groups) {
            r.loop().start();
            r.links().start(r.group().config(), r.node());
        }
        // the director's own checks make it ineligible for every group at once, as a link failure does
        TrackedChecks tracks = new TrackedChecks(failing -> {
            for (Running r : groups) r.loop().input(new Input.TrackedChecks(failing));
        });
        tracks.apply(opts.testStart ? List.of() : pair.tracks(), ScriptUser.of(pair.extensions().scriptUser()));
        exited.await();
        tracks.close();
        terminating = true;
        lvsdKeeper.submit(() -> {
            if (lvsd != null) lvsd.stop();
        }).get(30, TimeUnit.SECONDS);
        control.close();
        closeGroups();
        lvsdKeeper.shutdownNow();
        return 0;
    }

    /** Address actions recorded in the pulse's one ledger, whichever group they are for. */
    private AddressActions addressActions(CommandRunner runner) {
        AddressActions a = new AddressActions(runner, AddressActions.DEFAULT_IP);
        return ledger == null ? a : a.recordingIn(ledger);
    }

    private static String addresses(VipGroups.Group g) {
        List<Plumbing> plan = AddressPlan.of(g.config());
        return plan.isEmpty() ? "no address" : String.join(", ", plan.stream().map(p -> p.address().getHostAddress()).toList());
    }

    /** A group's parts, its heartbeat sockets bound (the thread starts later). */
    private Running start(VipGroups.Group g, List<InetAddress> local, CommandRunner runner, HookRunner hooks)
            throws IOException {
        PulseConfig cfg = g.config();
        Node node = Node.of(cfg, local);
        AtomicReference<HeartbeatLoop> loopRef = new AtomicReference<>();
        Director director = new Director(cfg, AddressPlan.of(cfg), addressActions(runner),
                new ArpAnnouncer(cfg.extensions().garpCount(), cfg.extensions().garpInterval(), opts.testStart)
                        .logPrefix("vip_group " + g.name() + ": "),
                hooks, new SyncDaemon(runner, cfg), null, in -> loopRef.get().input(in), status -> exited.countDown());
        FailoverMachine machine = new FailoverMachine(HeartbeatSetup.settings(cfg, node, opts.forceActive), System::nanoTime);
        HeartbeatLoop loop;
        try {
            loop = new HeartbeatLoop(node.heartbeatPaths(), cfg.heartbeatPort(), cfg.keepalive(),
                    HeartbeatSetup.codec(cfg, node, current.stamp()), machine, director::accept, cfg.hasBackup());
        } catch (IOException e) {
            director.close();
            throw new IOException("vip_group " + g.name() + ": " + e.getMessage(), e);
        }
        loop.logPrefix("vip_group " + g.name() + ": ");
        loopRef.set(loop);
        return new Running(g, node, loop, director, new LinkWatch(loop, new EventLog("pulse")));
    }

    /** lvsd carries every group's services on both directors: started once, started again when it dies. */
    private void startLvsd() {
        if (opts.testStart) {
            lvsdFirstStart.countDown();
            return;
        }
        PulseConfig pair = current.config();
        lvsd = new LvsdSupervisor(new LvsdSupervisor.Options(opts.lvsd(), opts.configFile, opts.foreground, opts.verbose,
                opts.lvsdSocket, pair.extensions().lvsdReadyTimeout(), opts.controlGroup),
                how -> lvsdKeeper.execute(() -> lvsdDied(how)));
        lvsdKeeper.execute(this::startLvsdNow);
    }

    private void startLvsdNow() {
        if (terminating) return;
        try {
            lvsd.start(() -> terminating);
            lvsdBackoff = Duration.ofSeconds(1);
        } catch (LvsdSupervisor.NotReady e) {
            lvsdDied("lvsd failed to start: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lvsdFirstStart.countDown();
        }
    }

    private void lvsdDied(String how) {
        if (terminating) return;
        lvsdRestarts++;
        LOG.warning(how + ": restarting lvsd in " + lvsdBackoff.toMillis() / 1000.0 + " s (restart " + lvsdRestarts + ")");
        lvsdKeeper.schedule(this::startLvsdNow, lvsdBackoff.toMillis(), TimeUnit.MILLISECONDS);
        Duration next = lvsdBackoff.multipliedBy(2);
        lvsdBackoff = next.compareTo(Duration.ofSeconds(60)) > 0 ? Duration.ofSeconds(60) : next;
    }

    /** Every group stands down (its "stopped" heartbeat sent at once) and stops. */
    private void terminate(int signal) {
        terminating = true;
        for (Running r : groups) r.loop().input(new Input.Terminate(signal));
    }

    /**
     * SIGHUP, {@code reload}: a file whose groups keep their names, primaries and ports is applied
     * (each group's addresses follow it, lvsd reloads); any other change of the groups, or a file
     * without them, needs a restart of pulse, and nothing changes.
     */
    private JsonObject reload() {
        LOG.info("rereading configuration file");
        LvsCfSource.Loaded next;
        List<VipGroups.Group> split;
        try {
            next = PreparedConfig.load(opts.configFile);
            split = VipGroups.split(next.config(), next.vipGroups());
            if (!sameGroups(split)) {
                throw new ConfigException(opts.configFile + ": the vip_group blocks changed (names, primary or"
                        + " heartbeat_port, or VIPs moving to or from the default group's heartbeat): restart pulse to apply them");
            }
            for (VipGroups.Group g : split) AddressPlan.of(g.config());
        } catch (ConfigException | IllegalArgumentException e) {
            for (String line : String.valueOf(e.getMessage()).split("\n")) LOG.severe(line);
            LOG.warning("configuration not reloaded: the running one is kept");
            return new JsonObject().put("reloaded", false).put("error", e.getMessage())
                    .put("pulse", new JsonObject().put("applied", false)
                            .put("errors", new JsonArray(List.of(String.valueOf(e.getMessage()).split("\n")))));
        }
        current = next;
        List<CompletableFuture<JsonObject>> moved = new ArrayList<>();
        List<Running> reloaded = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            PulseConfig cfg = split.get(i).config();
            Running r = groups.get(i);
            r.loop().setKeepalive(cfg.keepalive());
            moved.add(r.director().reload(cfg, AddressPlan.of(cfg), false));
            reloaded.add(new Running(split.get(i), r.node(), r.loop(), r.director(), r.links()));
        }
        groups = List.copyOf(reloaded);
        CompletableFuture.allOf(moved.toArray(CompletableFuture[]::new)).join();
        JsonObject lvsdReply = lvsd == null || lvsd.pid() == 0 ? null : lvsd.reloadThroughControlSocket(Director.LVSD_RELOAD_TIMEOUT);
        LOG.info("configuration reloaded");
        return new JsonObject().put("reloaded", true).put("pulse", new JsonObject().put("applied", true))
                .put("lvsd", lvsdReply);
    }

    private boolean sameGroups(List<VipGroups.Group> split) {
        if (split.size() != groups.size()) return false;
        for (int i = 0; i < split.size(); i++) {
            PulseConfig now = groups.get(i).group().config();
            PulseConfig then = split.get(i).config();
            if (!split.get(i).name().equals(groups.get(i).group().name()) || !now.primary().equals(then.primary())
                    || now.heartbeatPort() != then.heartbeatPort()) {
                return false;
            }
        }
        return true;
    }

    /** The status: pulse's own fields, then one entry per group, each read on its heartbeat thread. */
    private CompletableFuture<JsonObject> status() {
        List<CompletableFuture<JsonObject>> each = new ArrayList<>();
        for (Running r : groups) {
            each.add(r.loop().query(l -> GroupStatus.of(r.group(), l, r.director())));
        }
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(x -> {
            JsonArray list = new JsonArray();
            each.forEach(f -> list.add(f.join()));
            return GroupStatus.pulse(list, current.config(), pairPrimary, startedNanos,
                    startedAt, lvsd == null ? 0 : lvsd.pid(), lvsdRestarts, terminating)
                    .put("config", current.stamp() == null ? null : current.stamp().toJson());
        });
    }

    private void closeGroups() {
        for (Running r : groups) {
            r.links().close();
            r.loop().close();
            r.director().close();
        }
    }
}
