package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Inet4Address;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.address.ArpAnnouncer;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.config.PulseConfigSource;
import piranha.pulse.control.StatusServer;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.exec.HookRunner;
import piranha.pulse.exec.SyncDaemon;
import piranha.pulse.heartbeat.AuthenticatedCodec;
import piranha.pulse.heartbeat.HeartbeatCodec;
import piranha.pulse.heartbeat.HeartbeatCounters;
import piranha.pulse.heartbeat.HeartbeatKey;
import piranha.pulse.heartbeat.HeartbeatLoop;
import piranha.pulse.heartbeat.PiranhaCodec;
import piranha.pulse.link.LinkMonitor;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Input;
import piranha.pulse.state.Settings;
import piranha.pulse.state.Transition;

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

    @Option(names = "--control-socket", paramLabel = "PATH", description = "status socket (default ${DEFAULT-VALUE})")
    Path controlSocket = Path.of("/var/run/pulse.sock");

    @Option(names = "--lvsd-control-socket", paramLabel = "PATH",
            description = "lvsd's control socket, for its readiness (default ${DEFAULT-VALUE})")
    Path lvsdSocket = Path.of("/var/run/lvsd.sock");

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

    private final java.util.concurrent.CountDownLatch exited = new java.util.concurrent.CountDownLatch(1);
    private volatile int exitStatus;

    @Override
    public Integer call() throws Exception {
        PulseLogging.setUp(verbose);
        if (fosProgram != null) LOG.warning("--fos ignored: failover services (service = fos) are not supported");
        PulseConfig cfg;
        try {
            cfg = loadConfig(configFile);
        } catch (PulseConfigSource.ConfigException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        List<InetAddress> local = localAddresses();
        boolean primary = local.contains(cfg.primary());
        if (!primary && !cfg.hasBackup()) {
            LOG.info("BACKUP with backup_active = 0: pulse exiting");
            return 0;
        }
        if (cfg.backupActive() && cfg.backup() == null) {
            LOG.info("backup_active = 1 but no backup address set: running without a backup");
        }
        List<Plumbing> plan;
        try {
            plan = AddressPlan.of(cfg);
        } catch (IllegalArgumentException e) {
            System.err.println("pulse: " + e.getMessage());
            return 1;
        }
        if (cfg.vips().isEmpty()) {
            System.err.println("pulse: no active lvs services defined");
            return 1;
        }
        Inet4Address ownPublic = primary ? cfg.primary() : cfg.backup();
        Inet4Address ownPrivate = primary ? cfg.primaryPrivate() : cfg.backupPrivate();
        Inet4Address partnerPublic = cfg.hasBackup() ? (primary ? cfg.backup() : cfg.primary()) : null;
        Inet4Address partnerPrivate = cfg.hasBackup() ? (primary ? cfg.backupPrivate() : cfg.primaryPrivate()) : null;

        HeartbeatCodec codec;
        PulseConfig.Extensions ext = cfg.extensions();
        if (ext.heartbeatKeyFile() != null) {
            HeartbeatKey key;
            try {
                key = HeartbeatKey.load(ext.heartbeatKeyFile());
            } catch (IOException e) {
                System.err.println("pulse: " + e.getMessage());
                return 1;
            }
            codec = new AuthenticatedCodec(key, primary, toInt(ownPublic), partnerPublic == null ? 0 : toInt(partnerPublic),
                    System.currentTimeMillis());
        } else {
            codec = new PiranhaCodec();
            if (cfg.hasBackup()) {
                LOG.warning("heartbeats are not authenticated: anyone able to send UDP from the partner's address"
                        + " can force a failover; set heartbeat_key_file");
            }
        }

        List<HeartbeatLoop.Path> paths = new ArrayList<>();
        paths.add(new HeartbeatLoop.Path("public", ownPublic, partnerPublic));
        boolean privatePath = !cfg.primaryPrivate().equals(cfg.primary()) && ownPrivate != null && !ownPrivate.equals(ownPublic);
        if (privatePath) paths.add(new HeartbeatLoop.Path("private", ownPrivate, partnerPrivate));

        CommandRunner runner = new CommandRunner(testStart);
        AtomicReference<HeartbeatLoop> loopRef = new AtomicReference<>();
        LvsdSupervisor lvsd = testStart ? null : new LvsdSupervisor(new LvsdSupervisor.Options(
                lvsdProgram != null ? lvsdProgram : bundledLvsd(), configFile, foreground, verbose, lvsdSocket,
                ext.lvsdReadyTimeout()), how -> loopRef.get().input(new Input.LvsdFailed(how)));
        Director director = new Director(cfg, plan, new AddressActions(runner, "ip"),
                new ArpAnnouncer(ext.garpCount(), ext.garpInterval(), testStart),
                new HookRunner(runner, ext.hookTimeout()), new SyncDaemon(runner, cfg), lvsd,
                in -> loopRef.get().input(in), status -> {
                    exitStatus = status;
                    exited.countDown();
                });
        FailoverMachine machine = new FailoverMachine(new Settings(primary, cfg.hasBackup(), cfg.deadtime(),
                forceActive, ext.givebackDelay(), toInt(ownPublic)), System::nanoTime);
        HeartbeatLoop loop;
        try {
            loop = new HeartbeatLoop(paths, cfg.heartbeatPort(), cfg.keepalive(), codec, machine, director::accept,
                    cfg.hasBackup());
        } catch (IOException e) {
            System.err.println("pulse: " + e.getMessage());
            director.close();
            return 1;
        }
        loopRef.set(loop);

        LinkMonitor links = null;
        if (cfg.monitorLinks() && cfg.hasBackup()) {
            Map<String, String> devices = new LinkedHashMap<>();
            String pubDev = LinkMonitor.deviceOf(ownPublic);
            if (pubDev != null) devices.put("Primary", pubDev);
            if (privatePath) {
                String privDev = LinkMonitor.deviceOf(ownPrivate);
                if (privDev != null && !privDev.equals(pubDev)) devices.put("Private", privDev);
            }
            // link events wake the monitor at once; the poll is a safety net
            long periodMs = Math.max(20, Math.min(1000, cfg.keepalive().toMillis()));
            links = new LinkMonitor(devices, Duration.ofMillis(periodMs), down -> loop.input(new Input.Links(down)),
                    Path.of("/sys/class/net"));
        }

        StatusServer status;
        try {
            status = new StatusServer(controlSocket, req -> handle(req, loop, director, codec));
        } catch (IOException e) {
            System.err.println("pulse: cannot open the control socket " + controlSocket + ": " + e.getMessage());
            loop.close();
            director.close();
            return 1;
        }

        installSignals(loop, director);
        loop.start();
        if (links != null) links.start();
        exited.await();
        if (links != null) links.close();
        status.close();
        loop.close();
        director.close();
        return exitStatus;
    }

    private void installSignals(HeartbeatLoop loop, Director director) {
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> loop.input(new Input.Terminate(s.getNumber())));
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reload(loop, director));
    }

    /** SIGHUP: re-read lvs.cf; addresses and heartbeat timing follow, lvsd is told to reload. */
    private void reload(HeartbeatLoop loop, Director director) {
        LOG.info("rereading configuration file");
        PulseConfig cfg;
        List<Plumbing> plan;
        try {
            cfg = loadConfig(configFile);
            plan = AddressPlan.of(cfg);
        } catch (PulseConfigSource.ConfigException | IllegalArgumentException e) {
            LOG.warning(e.getMessage() + "; keeping the old configuration");
            return;
        }
        loop.setKeepalive(cfg.keepalive());
        loop.post(() -> loop.machine().setDeadtime(cfg.deadtime()));
        director.reload(cfg, plan);
    }

    private JsonObject handle(JsonObject req, HeartbeatLoop loop, Director director, HeartbeatCodec codec) {
        String cmd = req.getString("cmd");
        if (!"status".equals(cmd)) return new JsonObject().put("error", "unknown command: " + cmd);
        CompletableFuture<JsonObject> f = loop.query(l -> status(l, director, codec));
        try {
            return f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return new JsonObject().put("error", "status not available: " + e);
        }
    }

    private static JsonObject status(HeartbeatLoop loop, Director director, HeartbeatCodec codec) {
        FailoverMachine m = loop.machine();
        long now = System.nanoTime();
        HeartbeatCounters.Snapshot c = loop.counters();
        JsonObject rejected = new JsonObject();
        c.rejected().forEach((r, n) -> rejected.put(r.name().toLowerCase(java.util.Locale.ROOT), n));
        JsonArray transitions = new JsonArray();
        for (Transition t : m.transitions()) {
            transitions.add(new JsonObject().put("state", t.active() ? "active" : "standby")
                    .put("reason", t.reason()).put("ageMs", (now - t.atNanos()) / 1_000_000));
        }
        JsonArray inhibit = new JsonArray();
        if (m.linkFail()) inhibit.add("LINKFAIL");
        if (m.childFail()) inhibit.add("CHILDFAIL");
        return new JsonObject()
                .put("role", m.settings().primary() ? "primary" : "backup")
                .put("state", m.active() ? "active" : "standby")
                .put("inhibit", inhibit)
                .put("linksDown", new JsonArray(new ArrayList<>(m.linksDown())))
                .put("partner", m.partner().name().toLowerCase(java.util.Locale.ROOT))
                .put("lastHeartbeatAgeMs", m.lastHeartbeatNanos() < 0 ? null : (now - m.lastHeartbeatNanos()) / 1_000_000)
                .put("authenticated", codec.authenticated())
                .put("sent", c.sent()).put("sendErrors", c.sendErrors()).put("received", c.received())
                .put("rejected", c.rejectedTotal()).put("rejectedBy", rejected)
                .put("late", c.late()).put("maxLateMs", c.maxLateNanos() / 1_000_000)
                .put("addressesPlumbed", director.plumbed())
                .put("lvsdPid", director.lvsdPid())
                .put("transitions", transitions);
    }

    static PulseConfig loadConfig(Path file) throws PulseConfigSource.ConfigException {
        Iterator<PulseConfigSource> it = ServiceLoader.load(PulseConfigSource.class).iterator();
        if (!it.hasNext()) throw new PulseConfigSource.ConfigException("no lvs.cf reader in this build");
        if (!Files.isReadable(file)) throw new PulseConfigSource.ConfigException("cannot read " + file);
        return it.next().load(file);
    }

    private static List<InetAddress> localAddresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            out.addAll(Collections.list(nif.getInetAddresses()));
        }
        return out;
    }

    static int toInt(Inet4Address a) {
        return ByteBuffer.wrap(a.getAddress()).getInt();
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
