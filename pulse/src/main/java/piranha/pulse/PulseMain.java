package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import io.vertx.core.Future;
import picocli.CommandLine;
import piranha.daemon.ControlServer;
import piranha.daemon.ControlSockets;
import piranha.daemon.Logs;
import piranha.daemon.PidFile;
import piranha.daemon.RealtimeScheduling;
import piranha.daemon.ScriptUser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.address.ArpAnnouncer;
import piranha.pulse.address.Plumbing;
import piranha.pulse.fos.FosServices;
import piranha.pulse.config.LvsCfSource;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.config.PulseConfigSource;
import piranha.pulse.sync.ConfigInstaller;
import piranha.pulse.sync.ConfigSync;
import piranha.pulse.sync.IntentInstaller;
import piranha.pulse.sync.IntentWatcher;
import piranha.pulse.sync.SyncProtocol;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.exec.HookRunner;
import piranha.pulse.exec.SyncDaemon;
import piranha.pulse.heartbeat.AuthenticatedCodec;
import piranha.pulse.heartbeat.HeartbeatCodec;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.heartbeat.PiranhaCodec;
import piranha.pulse.link.LinkMonitor;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Input;
import piranha.pulse.state.Settings;

/** `pulse`: the heartbeat and failover daemon, with Piranha's options. */
@Command(name = "pulse", versionProvider = PulseMain.Version.class, sortOptions = false,
        description = "Heartbeat and failover daemon of an LVS director pair.")
public final class PulseMain implements Callable<Integer> {
    private static final Logger LOG = Logger.getLogger("pulse");
    static final String VERSION = "0.1.0";

    @Option(names = {"-c", "--configfile"}, paramLabel = "FILE", description = "lvs.cf (default ${DEFAULT-VALUE})")
    Path configFile = Path.of("/etc/sysconfig/ha/lvs.cf");

    @Option(names = {"-n", "--nodaemon"}, description = "stay in the foreground and log to stdout")
    boolean foreground;

    @Option(names = {"-t", "--test-start", "--norun"}, description = "log the actions, perform none")
    boolean testStart;

    @Option(names = {"-v", "--verbose"}, description = "debug logging (passed on to lvsd)")
    boolean verbose;

    @Option(names = "--forceactive", description = "become active at start")
    boolean forceActive;

    @Option(names = "--lvsd", paramLabel = "PATH", description = "lvsd program (default: the bundled bin/lvsd)")
    String lvsdProgram;

    @Option(names = "--fos", paramLabel = "PATH", hidden = true,
            description = "fos program: accepted for Piranha's command lines; FOS mode is not supported")
    String fosProgram;

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "control socket: status, reload, sync (default ${DEFAULT-VALUE})")
    Path controlSocket = ControlSockets.PULSE;

    @Option(names = "--lvsd-control-socket", paramLabel = "PATH",
            description = "where lvsd is told to listen: its readiness, reload (default ${DEFAULT-VALUE})")
    Path lvsdSocket = ControlSockets.LVSD;

    @Option(names = "--control-group", paramLabel = "GROUP",
            description = "give this group (the configuration tool's) read-write access to pulse's and lvsd's control sockets")
    String controlGroup;

    @Option(names = "--metrics", paramLabel = "off|PORT|ADDRESS:PORT",
            description = "serve Prometheus metrics there (/metrics); overrides pulse_metrics (default 127.0.0.1:9539)")
    String metrics;

    @Option(names = "--pidfile", paramLabel = "PATH",
            description = "pid file written without -n, removed at exit (default ${DEFAULT-VALUE})")
    Path pidFile = Path.of("/var/run/pulse.pid");

    @Option(names = "--version", versionHelp = true, description = "print the version and exit")
    boolean version;

    @Option(names = {"-?", "-h", "--help", "--usage"}, usageHelp = true, description = "show this help")
    boolean help;

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pulse (piranha) " + VERSION};
        }
    }

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new PulseMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        });
        System.exit(cl.execute(args));
    }

    private final long startedNanos = System.nanoTime();
    private final java.time.Instant startedAt = java.time.Instant.now();
    private final java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
    private volatile int exitStatus;
    // the running configuration; replaced by a SIGHUP that passes every check
    private PulseConfig current;
    private Node node;
    private HeartbeatLoop loop;
    private Director director;
    private LinkMonitor links;
    /** pulse's state changes in order, for {@code lvsadm events} (README, "Events"). */
    private final piranha.daemon.EventLog events = new piranha.daemon.EventLog("pulse");
    /** lvs.cf's notify_ programs for pulse's events (not in test-start: nothing is run then). */
    private final piranha.daemon.EventHooks notifier = new piranha.daemon.EventHooks("pulse", piranha.daemon.ProcessRunner.shared(),
            r -> RealtimeScheduling.thread("notify", r));
    private HookRunner hooks;
    private ScriptUser scriptUser = ScriptUser.DAEMON;
    /** The lvs.cf running here (serial_no, SHA-256), sent in signed heartbeats and shown in the status. */
    private volatile ConfigStamp stamp;
    private ConfigSync sync;
    /** Pushes of lvs.cf to the partner (lvsadm sync, config_sync), one at a time. */
    private final java.util.concurrent.ExecutorService syncPusher = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = RealtimeScheduling.thread("config-push", r);
        t.setDaemon(true);
        return t;
    });
    /** The track blocks' checks; their failing set goes to the failover machine. */
    private volatile piranha.pulse.fos.TrackedChecks tracks;

    @Override
    public Integer call() throws Exception {
        String where = Logs.setUp("pulse", foreground, verbose);
        LOG.fine(() -> "pulse " + VERSION + " " + where);
        if (fosProgram != null) LOG.warning("--fos ignored: pulse runs the failover services (service = fos) itself");
        if (piranha.pulse.routing.ActiveActiveConfig.requested(configFile)) return activeActive();
        PulseConfig cfg;
        LvsCfSource.Loaded loaded;
        try {
            loaded = loadConfig(configFile);
            cfg = loaded.config();
        } catch (PulseConfigSource.ConfigException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        stamp = loaded.stamp();
        Node self = Node.of(cfg, localAddresses());
        if (!self.primary() && !cfg.hasBackup()) {
            LOG.info("BACKUP with backup_active = 0: pulse exiting");
            return 0;
        }
        if (cfg.backupActive() && cfg.backup() == null) {
            LOG.info("backup_active = 1 but no backup address set: running without a backup");
        }
        List<Plumbing> plan;
        HeartbeatCodec codec;
        try {
            plan = AddressPlan.of(cfg);
            if (cfg.vips().isEmpty()) throw new PulseConfigSource.ConfigException("no active lvs services defined");
            codec = codec(cfg, self, stamp);
            scriptUser = ScriptUser.of(cfg.extensions().scriptUser());
        } catch (IllegalArgumentException | PulseConfigSource.ConfigException | IOException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        PidFile pid = null;
        if (!foreground) {
            try {
                pid = PidFile.write(pidFile);
            } catch (IOException e) {
                System.err.println("pulse: " + e.getMessage());
                return 1;
            }
        }
        try {
            return run(cfg, self, plan, codec);
        } finally {
            if (pid != null) pid.close();
        }
    }

    /** director_mode = active_active: no heartbeat; routes announced through BIRD (piranha.pulse.routing). */
    private int activeActive() throws Exception {
        piranha.pulse.routing.ActiveActiveConfig cfg;
        try {
            cfg = piranha.pulse.routing.ActiveActiveConfig.load(configFile);
        } catch (PulseConfigSource.ConfigException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        if (controlGroup != null && !groupExists(controlGroup)) {
            LOG.warning("group " + controlGroup + " does not exist: the control sockets stay root's (mode 0600)");
            controlGroup = null;
        }
        PidFile pid = null;
        if (!foreground) {
            try {
                pid = PidFile.write(pidFile);
            } catch (IOException e) {
                System.err.println("pulse: " + e.getMessage());
                return 1;
            }
        }
        try {
            return new piranha.pulse.routing.ActiveActiveDirector(cfg, new piranha.pulse.routing.ActiveActiveDirector.Options(
                    configFile, testStart, controlSocket, controlGroup, new LvsdSupervisor.Options(
                    lvsdProgram != null ? lvsdProgram : bundledLvsd(), configFile, foreground, verbose, lvsdSocket,
                    cfg.lvsdReadyTimeout(), controlGroup))).run();
        } finally {
            if (pid != null) pid.close();
        }
    }

    private int run(PulseConfig cfg, Node self, List<Plumbing> plan, HeartbeatCodec codec) throws Exception {
        PulseConfig.Extensions ext = cfg.extensions();
        if (controlGroup != null && !groupExists(controlGroup)) {
            // a director keeps its service without the tool's access: neither pulse nor lvsd may fail for it
            LOG.warning("group " + controlGroup + " does not exist: the control sockets stay root's (mode 0600)");
            controlGroup = null;
        }
        CommandRunner runner = new CommandRunner(testStart);
        AtomicReference<HeartbeatLoop> loopRef = new AtomicReference<>();
        LvsdSupervisor lvsd = testStart || cfg.fos() ? null : new LvsdSupervisor(new LvsdSupervisor.Options(
                lvsdProgram != null ? lvsdProgram : bundledLvsd(), configFile, foreground, verbose, lvsdSocket,
                ext.lvsdReadyTimeout(), controlGroup), how -> {
                    events.publish("lvsd", new JsonObject().put("state", "failed").put("how", how));
                    loopRef.get().input(new Input.LvsdFailed(how));
                });
        director = new Director(cfg, plan, new AddressActions(runner, AddressActions.DEFAULT_IP),
                new ArpAnnouncer(ext.garpCount(), ext.garpInterval(), testStart),
                hooks = new HookRunner(runner, ext.hookTimeout()).runAs(scriptUser), new SyncDaemon(runner, cfg), lvsd,
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
        if (!testStart) {
            notifier.configure(notifySettings(cfg, scriptUser));
            events.listen(notifier);
        }
        FailoverMachine machine = new FailoverMachine(settings(cfg, self), System::nanoTime);
        try {
            loop = new HeartbeatLoop(self.heartbeatPaths(), cfg.heartbeatPort(), cfg.keepalive(), codec, machine,
                    director::accept, cfg.hasBackup());
        } catch (IOException e) {
            System.err.println("pulse: " + e.getMessage());
            director.close();
            return 1;
        }
        loopRef.set(loop);
        loop.onTransition((active, reason) -> events.publish("director", new JsonObject()
                .put("state", active ? "active" : "standby").put("role", node.primary() ? "primary" : "backup")
                .put("reason", reason)));
        current = cfg;
        node = self;
        ConfigInstaller configInstaller = new ConfigInstaller(configFile, this::checkReceived, this::reloadForPartner);
        IntentInstaller intentInstaller = new IntentInstaller(stateFile(), lvsdSocket);
        sync = new ConfigSync(configFile, this::checkReceived, (offer, from) -> offer.kind() == SyncProtocol.Kind.INTENTS
                ? intentInstaller.install(offer, from) : configInstaller.install(offer, from), Director.LVSD_RELOAD_TIMEOUT.plusSeconds(5));
        sync.configure(syncChannel(cfg, self));
        IntentWatcher intents = null;
        if (!cfg.fos() && !testStart) {
            try {
                intents = IntentWatcher.start(stateFile(), this::pushIntentsIfActive);
            } catch (IOException e) {
                LOG.warning("cannot watch " + stateFile() + ": " + e.getMessage() + "; the partner learns no drains from here");
            }
        }

        ControlServer control;
        try {
            control = ControlServer.start(controlSocket, Map.of(
                    "status", req -> Future.fromCompletionStage(loop.query(this::status)),
                    "reload", req -> Future.fromCompletionStage(reloadRequest(true)),
                    "sync", req -> Future.fromCompletionStage(CompletableFuture.supplyAsync(this::syncWithPartner, syncPusher)),
                    "events", events.handler()),
                    Director.LVSD_RELOAD_TIMEOUT.plusSeconds(15), controlGroup, r -> RealtimeScheduling.thread("control", r));
        } catch (IOException e) {
            System.err.println("pulse: cannot open the control socket " + controlSocket + ": " + e.getMessage());
            sync.close();
            loop.close();
            director.close();
            return 1;
        }

        piranha.daemon.metrics.MetricsServer metricsServer = startMetrics(cfg);
        // builds a status once before the heartbeat thread runs, so the JSON classes are not loaded on
        // it at the first status request
        status(loop).encode();
        installSignals();
        loop.start();
        startLinks(cfg, self);
        HeartbeatLoop l = loop;
        tracks = new piranha.pulse.fos.TrackedChecks(failing -> l.input(new Input.TrackedChecks(failing)));
        tracks.apply(testStart ? List.of() : cfg.tracks(), scriptUser); // -t: nothing is run
        exited.await();
        tracks.close();
        synchronized (this) {
            if (links != null) links.close();
        }
        control.close();
        if (intents != null) intents.close();
        sync.close();
        syncPusher.shutdownNow();
        if (metricsServer != null) metricsServer.close();
        loop.close();
        director.close();
        if (fos != null) fos.close();
        notifier.close();
        return exitStatus;
    }

    /**
     * Serves the metrics where {@code --metrics} or pulse_metrics says (read at start); a port that
     * cannot be bound is logged and pulse runs on without metrics: they never cost a director its service.
     */
    private piranha.daemon.metrics.MetricsServer startMetrics(PulseConfig cfg) {
        piranha.lvscf.model.Listen at;
        try {
            at = metrics != null ? piranha.lvscf.model.Listen.parse(metrics) : cfg.extensions().metrics();
        } catch (IllegalArgumentException e) {
            LOG.warning("--metrics: " + e.getMessage() + "; no metrics");
            return null;
        }
        if (at.off()) return null;
        io.prometheus.metrics.model.registry.PrometheusRegistry registry = new io.prometheus.metrics.model.registry.PrometheusRegistry();
        registry.register(new PulseMetrics(() -> {
            try {
                return loop.query(this::status).get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("no status from the heartbeat thread: " + e, e);
            }
        }));
        try {
            piranha.daemon.metrics.MetricsServer server = piranha.daemon.metrics.MetricsServer.start(
                    new java.net.InetSocketAddress(at.host(), at.port()), registry, r -> RealtimeScheduling.thread("metrics", r));
            LOG.info("metrics on http://" + at + "/metrics");
            return server;
        } catch (IOException | RuntimeException e) {
            LOG.warning("cannot serve metrics on " + at + ": " + e.getMessage() + "; pulse runs without them");
            return null;
        }
    }

    /** The links monitor_links watches now, for status (set where the monitor starts). */
    private volatile java.util.Set<String> watchedLinks = java.util.Set.of();

    private JsonObject status(HeartbeatLoop l) {
        piranha.pulse.fos.TrackedChecks t = tracks;
        return PulseStatus.withConfig(PulseStatus.of(l, director, startedNanos, startedAt, watchedLinks,
                t == null ? List.of() : t.states()), stamp, l.partnerConfig());
    }

    private Settings settings(PulseConfig cfg, Node self) {
        return new Settings(self.primary(), cfg.hasBackup(), cfg.deadtime(), forceActive,
                cfg.extensions().givebackDelay(), self.ownPublic() == null ? 0 : toInt(self.ownPublic()),
                cfg.extensions().lvsdWarmStandby() && !cfg.fos()); // fos: no lvsd at all
    }

    /** Signed heartbeats with heartbeat_key_file (the key file is read again at each reload), else Piranha's. */
    private static HeartbeatCodec codec(PulseConfig cfg, Node self, ConfigStamp stamp) throws IOException {
        if (cfg.extensions().heartbeatKeyFile() != null) {
            HeartbeatKey key = HeartbeatKey.load(cfg.extensions().heartbeatKeyFile());
            return new AuthenticatedCodec(key, self.primary(), toInt(self.ownPublic()),
                    self.partnerPublic() == null ? 0 : toInt(self.partnerPublic()), System.currentTimeMillis(), stamp);
        }
        if (cfg.hasBackup()) {
            LOG.warning("heartbeats are not authenticated: anyone able to send UDP from the partner's address"
                    + " can force a failover; set heartbeat_key_file");
        }
        return new PiranhaCodec(cfg.fos());
    }

    /** monitor_links: watch the devices of our heartbeat addresses (only with a partner to hand over to). */
    private synchronized void startLinks(PulseConfig cfg, Node self) {
        if (links != null) {
            links.close();
            links = null;
        }
        if (!cfg.monitorLinks() || !cfg.hasBackup()) {
            watchedLinks = java.util.Set.of();
            loop.input(new Input.Links(java.util.Set.of())); // nothing watched, nothing down
            return;
        }
        // link events wake the monitor at once; the poll is a safety net
        long periodMs = Math.max(20, Math.min(1000, cfg.keepalive().toMillis()));
        HeartbeatLoop l = loop;
        links = new LinkMonitor(self.monitoredDevices(LinkMonitor::deviceOf), Duration.ofMillis(periodMs),
                linkEvents(l), Path.of("/sys/class/net"));
        watchedLinks = links.names();
        links.start();
    }

    /** The link monitor's reports to the machine, and each link that went down or came back to the event stream. */
    private java.util.function.Consumer<java.util.Set<String>> linkEvents(HeartbeatLoop l) {
        java.util.Set<String> before = new java.util.TreeSet<>();
        return down -> {
            l.input(new Input.Links(down));
            for (String nic : down) {
                if (before.add(nic)) events.publish("link", new JsonObject().put("link", nic).put("state", "down"));
            }
            for (var it = before.iterator(); it.hasNext();) {
                String nic = it.next();
                if (!down.contains(nic)) {
                    it.remove();
                    events.publish("link", new JsonObject().put("link", nic).put("state", "up"));
                }
            }
        };
    }

    private void installSignals() {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> loop.input(new Input.Terminate(s.getNumber())));
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reload(false, true));
    }

    /**
     * The control socket's {@code reload}: pulse re-reads lvs.cf as on SIGHUP, then lvsd is asked
     * through its control socket; the reply says what each applied or refused ({@link ReloadReply}).
     */
    private CompletableFuture<JsonObject> reloadRequest(boolean mayPush) {
        ReloadStep step = reload(true, mayPush); // on the control connection's thread, which waits for the reply anyway
        return step.lvsd().thenApply(lvsdReply -> ReloadReply.of(step.pulse(), lvsdReply));
    }

    /** What pulse did with lvs.cf, and lvsd's answer to come (null: lvsd was not asked, or does not run). */
    private record ReloadStep(JsonObject pulse, CompletableFuture<JsonObject> lvsd) {}

    /**
     * SIGHUP (and {@code reload}): re-read lvs.cf and apply all of it that pulse uses: heartbeat
     * sockets, key and timing, the role, the floating addresses, link monitoring; then lvsd reloads
     * (SIGHUP, or through its control socket when {@code askLvsd}). A file with errors, or one whose
     * heartbeat sockets cannot be bound, changes nothing.
     */
    private synchronized ReloadStep reload(boolean askLvsd, boolean mayPush) {
        LOG.info("rereading configuration file");
        Prepared next;
        try {
            next = prepare(loadConfig(configFile));
        } catch (PulseConfigSource.ConfigException e) {
            return refuse(e.getMessage());
        }
        PulseConfig cfg = next.loaded().config();
        List<Plumbing> plan = next.plan();
        Node self = next.self();
        ConfigChange change = ConfigChange.between(current, node, cfg, self);
        boolean rebound;
        try {
            rebound = loop.reconfigure(self.heartbeatPaths(), cfg.heartbeatPort(), next.codec(), cfg.hasBackup())
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return refuse(e.getCause().getMessage());
        } catch (TimeoutException | InterruptedException e) {
            return refuse("the heartbeat thread did not take the new sockets in time");
        }
        stamp = next.loaded().stamp();
        loop.setKeepalive(cfg.keepalive());
        loop.input(new Input.Reconfigure(settings(cfg, self), rebound));
        hooks.runAs(next.user());
        sync.configure(syncChannel(cfg, self));
        if (mayPush && next.loaded().configSync()) pushIfActive();
        notifier.configure(notifySettings(cfg, next.user()));
        CompletableFuture<JsonObject> lvsdReply = director.reload(cfg, plan, askLvsd);
        if (change.links()) startLinks(cfg, self);
        List<String> parts = new ArrayList<>(change.parts());
        if (!cfg.failovers().equals(current.failovers())) parts.add("failover services");
        if (!cfg.tracks().equals(current.tracks())) parts.add("tracked checks");
        if (tracks != null) tracks.apply(testStart ? List.of() : cfg.tracks(), next.user());
        current = cfg;
        node = self;
        String changed = (parts.isEmpty() ? "nothing pulse uses" : String.join(", ", parts))
                + (rebound ? "; heartbeats on port " + cfg.heartbeatPort() : "");
        LOG.info("configuration reloaded; changed: " + changed);
        events.publish("reload", new JsonObject().put("applied", true).put("changes", new JsonArray(parts)));
        return new ReloadStep(new JsonObject().put("applied", true).put("changes", new JsonArray(parts)), lvsdReply);
    }

    /** A checked lvs.cf and what pulse makes of it, ready to apply. */
    private record Prepared(LvsCfSource.Loaded loaded, List<Plumbing> plan, Node self, HeartbeatCodec codec, ScriptUser user) {}

    /**
     * Every check a reload makes before it applies a file: the addresses, the role on this host, the
     * key file, the script user, an unchanged service (lvs or fos). Also what a file from the partner must pass.
     */
    private Prepared prepare(LvsCfSource.Loaded loaded) throws PulseConfigSource.ConfigException {
        PulseConfig cfg = loaded.config();
        Prepared p;
        try {
            List<Plumbing> plan = AddressPlan.of(cfg);
            if (cfg.vips().isEmpty()) throw new PulseConfigSource.ConfigException("no active lvs services defined");
            Node self = Node.of(cfg, localAddresses());
            p = new Prepared(loaded, plan, self, codec(cfg, self, loaded.stamp()), ScriptUser.of(cfg.extensions().scriptUser()));
        } catch (IllegalArgumentException | IOException e) {
            throw new PulseConfigSource.ConfigException(e.getMessage());
        }
        if (cfg.fos() != current.fos()) {
            // lvsd or none, the heartbeat's magics: a director changes its kind only with a restart
            throw new PulseConfigSource.ConfigException(configFile + ": service = " + (cfg.fos() ? "fos" : "lvs")
                    + " changes only with a restart of pulse (it runs as service = " + (current.fos() ? "fos" : "lvs") + ")");
        }
        return p;
    }

    /** pulse's reload check of lvs.cf's bytes (a file to send, or one the partner sent); its serial_no. */
    private synchronized long checkReceived(byte[] bytes) throws PulseConfigSource.ConfigException {
        return prepare(new LvsCfSource().check(configFile, bytes)).loaded().stamp().serial();
    }

    /** What a file received from the partner gets: the reload lvsadm reload asks for, without pushing it back. */
    private JsonObject reloadForPartner() {
        try {
            return reloadRequest(false).get(Director.LVSD_RELOAD_TIMEOUT.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return new JsonObject().put("reloaded", false).put("error", "reload: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JsonObject().put("reloaded", false).put("error", "reload interrupted");
        }
    }

    /**
     * {@code sync}: lvs.cf to the partner, then the operator's intent, so that a partner that was down
     * when a drain was set learns it too; the intent's outcome is the reply's {@code "intent"}.
     */
    private JsonObject syncWithPartner() {
        JsonObject r = sync.push();
        if (r.getBoolean("synced", false) && !current.fos()) r.put("intent", sync.pushIntents(stateFile()));
        return r;
    }

    /** lvsd's state file (the operator's intent) beside lvs.cf, as lvsd names it. */
    private Path stateFile() {
        return configFile.toAbsolutePath().getParent().resolve("lvsd.state");
    }

    /** lvsd on the active director rewrote its intent: the partner gets it, so a takeover keeps it. */
    private void pushIntentsIfActive() {
        syncPusher.execute(() -> {
            try {
                if (loop.query(l -> l.machine().active()).get(5, TimeUnit.SECONDS)) sync.pushIntents(stateFile());
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                // no answer from the heartbeat thread: pulse is stopping
            }
        });
    }

    /** config_sync = 1: after a reload the active director offers lvs.cf to the partner. */
    private void pushIfActive() {
        syncPusher.execute(() -> {
            boolean active;
            try {
                active = loop.query(l -> l.machine().active()).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException | InterruptedException e) {
                return;
            }
            if (active) sync.push();
        });
    }

    /** The sync channel lvs.cf gives: TCP on our public heartbeat address and port, to the partner's. */
    private static ConfigSync.Channel syncChannel(PulseConfig cfg, Node self) {
        HeartbeatKey key = null;
        if (cfg.extensions().heartbeatKeyFile() != null) {
            try {
                key = HeartbeatKey.load(cfg.extensions().heartbeatKeyFile());
            } catch (IOException e) {
                LOG.warning("lvs.cf sync: " + e.getMessage()); // codec() refused the file already, this is not reached
            }
        }
        if (!self.hasBackup() || self.partnerPublic() == null || self.ownPublic() == null) {
            return new ConfigSync.Channel(null, null, java.util.Set.of(), key);
        }
        java.util.Set<InetAddress> partners = new java.util.HashSet<>();
        partners.add(self.partnerPublic());
        if (self.partnerPrivate() != null) partners.add(self.partnerPrivate());
        return new ConfigSync.Channel(new java.net.InetSocketAddress(self.ownPublic(), cfg.heartbeatPort()),
                new java.net.InetSocketAddress(self.partnerPublic(), cfg.heartbeatPort()), partners, key);
    }

    private static piranha.daemon.EventHooks.Settings notifySettings(PulseConfig cfg, ScriptUser user) {
        return new piranha.daemon.EventHooks.Settings(cfg.extensions().notifyPrograms(), cfg.extensions().notifyTimeout(), user);
    }

    private ReloadStep refuse(String why) {
        List<String> errors = List.of(why.split("\n"));
        events.publish("reload", new JsonObject().put("applied", false).put("errors", new JsonArray(errors)));
        for (String line : errors) LOG.severe(line);
        LOG.warning("configuration not reloaded: the running one is kept");
        return new ReloadStep(new JsonObject().put("applied", false).put("errors", new JsonArray(errors)),
                CompletableFuture.completedFuture(null));
    }

    private static boolean groupExists(String group) {
        try {
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static LvsCfSource.Loaded loadConfig(Path file) throws PulseConfigSource.ConfigException {
        if (!Files.isReadable(file)) throw new PulseConfigSource.ConfigException("cannot read " + file);
        return new LvsCfSource().read(file);
    }

    private static List<InetAddress> localAddresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            out.addAll(Collections.list(nif.getInetAddresses()));
        }
        return out;
    }

    /**
     * A director's 32-bit node number in signed heartbeats and the machine's tie-break: an IPv4 address
     * as its number, an IPv6 one as the XOR of its four 32-bit words.
     */
    static int toInt(InetAddress a) {
        ByteBuffer b = ByteBuffer.wrap(a.getAddress());
        int v = 0;
        while (b.hasRemaining()) v ^= b.getInt();
        return v;
    }

    /** bin/lvsd of the checkout or installation this pulse runs from. */
    private static String bundledLvsd() {
        String root = System.getenv("PIRANHA_ROOT");
        if (root != null) return Path.of(root, "bin", "lvsd").toString();
        try {
            Path jar = Path.of(PulseMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // ROOT/pulse/target/pulse.jar (or target/classes) -> ROOT/bin/lvsd
            Path candidate = jar.getParent().getParent().getParent().resolve("bin").resolve("lvsd");
            if (Files.isExecutable(candidate)) return candidate.toString();
        } catch (URISyntaxException | NullPointerException | SecurityException e) {
            // fall through to the installed path
        }
        return "/usr/sbin/lvsd";
    }
}
