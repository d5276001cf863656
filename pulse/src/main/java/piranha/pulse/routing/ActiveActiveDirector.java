package piranha.pulse.routing;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import piranha.daemon.ControlClient;
import piranha.daemon.ControlServer;
import piranha.daemon.metrics.MetricsServer;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.PulseConfigSource.ConfigException;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.link.LinkMonitor;
import piranha.pulse.lvsd.LvsdSupervisor;
import piranha.pulse.metrics.MetricsEndpoint;

/**
 * pulse in {@code director_mode = active_active}: no heartbeat and no partner. This director runs
 * lvsd for every VIP, keeps the VIPs on {@code bgp_device} (never answered by ARP), and has BIRD
 * announce a /32 route per VIP to the router while it is healthy ({@link RouteHealth}, judged every
 * keepalive and at once when a watched link changes). An unhealthy VIP is withdrawn; SIGTERM
 * withdraws every route, waits one keepalive for the router to move the flows, then stops lvsd and BIRD.
 *
 * <p>Everything that changes state runs on one thread, {@code routing}; lvsd's start (which waits for
 * its readiness) has a thread of its own so that judging never waits for it.
 */
public final class ActiveActiveDirector {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final int TRANSITIONS_KEPT = 50;

    /** What pulse's command line gives (sockets, programs, the lvs.cf path). */
    /** @param metrics --metrics (off|PORT|ADDRESS:PORT), null: pulse_metrics decides */
    public record Options(Path configFile, boolean testStart, Path controlSocket, String controlGroup,
                          LvsdSupervisor.Options lvsd, String metrics) {}

    private final Options options;
    private final ScheduledExecutorService routing = Executors.newSingleThreadScheduledExecutor(r -> thread("routing", r));
    private final ScheduledExecutorService lvsdStarter = Executors.newSingleThreadScheduledExecutor(r -> thread("lvsd-start", r));
    private final CountDownLatch exited = new CountDownLatch(1);
    private final long startedNanos = System.nanoTime();
    private final Instant startedAt = Instant.now();
    private final CommandRunner runner;
    private final AddressActions addresses;
    private final LvsdSupervisor lvsd;
    private ActiveActiveConfig cfg;
    private Bird bird;
    private final DirectorPeers peers;
    private LinkMonitor links;
    private volatile Set<String> linksDown = Set.of();
    private boolean terminating;
    private volatile int lvsdRestarts;
    private final java.util.concurrent.atomic.AtomicLong routeChanges = new java.util.concurrent.atomic.AtomicLong();
    /** Doubles while lvsd keeps failing (a loaded machine may need longer than its ready timeout), reset once it is ready. */
    private Duration lvsdBackoff = Duration.ofSeconds(1);
    /** Per VIP: null = announced, else why withdrawn. Before the first judgement every VIP is withdrawn. */
    private volatile Map<ActiveActiveConfig.Vip, String> verdict = new LinkedHashMap<>();
    private final Deque<JsonObject> transitions = new ArrayDeque<>();

    public ActiveActiveDirector(ActiveActiveConfig cfg, Options options) {
        this.cfg = cfg;
        this.options = options;
        this.runner = new CommandRunner(options.testStart());
        this.peers = new DirectorPeers(routing, runner, options.testStart());
        this.addresses = new AddressActions(runner, AddressActions.DEFAULT_IP);
        this.lvsd = options.testStart() ? null : new LvsdSupervisor(options.lvsd(),
                how -> routing.execute(() -> lvsdDied(how)));
        for (ActiveActiveConfig.Vip v : cfg.vips()) verdict.put(v, "not judged yet");
    }

    private static Thread thread(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Runs until SIGTERM/SIGINT; the exit status. */
    public int run() throws InterruptedException {
        ControlServer control;
        try {
            control = ControlServer.start(options.controlSocket(), Map.of(
                    "status", req -> Future.succeededFuture(status()),
                    "reload", req -> Future.fromCompletionStage(CompletableFuture.supplyAsync(this::reload, routing))),
                    Duration.ofSeconds(30), options.controlGroup());
        } catch (IOException e) {
            System.err.println("pulse: cannot open the control socket " + options.controlSocket() + ": " + e.getMessage());
            return 1;
        }
        LOG.info("director_mode = active_active: announcing " + cfg.vips().size() + " VIP(s) with BGP (AS " + cfg.localAs()
                + ") to " + String.join(", ", cfg.neighbors().stream().map(Inet4Address::getHostAddress).toList())
                + " (AS " + cfg.peerAs() + ") while healthy");
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), s -> routing.execute(() -> terminate(s.getNumber())));
        }
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> routing.execute(this::reload));
        MetricsServer metrics = startMetrics();
        routing.execute(this::begin);
        exited.await();
        if (metrics != null) metrics.close();
        control.close();
        routing.shutdownNow();
        lvsdStarter.shutdownNow();
        return 0;
    }

    private void begin() {
        noArpForVips();
        for (ActiveActiveConfig.Vip v : cfg.vips()) addresses.add(plumbing(v));
        bird = new Bird(cfg.birdConfig(), cfg.birdSocket(), Bird.program("bird"), Bird.program("birdc"), routing, runner,
                line -> { }); // the routes are gone with BIRD; its status line is logged by Bird
        writeBird();
        if (!options.testStart()) bird.start();
        startLinks();
        peers.start(cfg);
        startLvsd();
        long period = cfg.keepalive().toMillis();
        routing.scheduleWithFixedDelay(this::judge, period, period, TimeUnit.MILLISECONDS);
    }

    private Plumbing plumbing(ActiveActiveConfig.Vip v) {
        return new Plumbing(v.address(), 32, cfg.device(), "VIP");
    }

    /**
     * The VIPs sit on every director: none may answer ARP for them, or the router's neighbours would
     * fight over them. Linux's LVS direct-routing settings (for all devices): answer only for addresses
     * of the receiving device, and never announce a VIP as an ARP source.
     */
    private void noArpForVips() {
        if (options.testStart()) {
            LOG.info("test-start: would set net.ipv4.conf.all.arp_ignore = 1, arp_announce = 2");
            return;
        }
        for (String[] s : new String[][] {{"arp_ignore", "1"}, {"arp_announce", "2"}}) {
            Path p = Path.of("/proc/sys/net/ipv4/conf/all", s[0]);
            try {
                Files.writeString(p, s[1]);
            } catch (IOException e) {
                LOG.warning("cannot set net.ipv4.conf.all." + s[0] + " = " + s[1] + ": " + e.getMessage()
                        + "; the VIPs may be answered by ARP");
            }
        }
        LOG.info("net.ipv4.conf.all.arp_ignore = 1, arp_announce = 2: the VIPs on " + cfg.device() + " are not answered by ARP");
    }

    private void startLinks() {
        if (links != null) links.close();
        links = null;
        linksDown = Set.of();
        if (!cfg.monitorLinks()) return;
        Map<String, String> devices = new LinkedHashMap<>();
        for (Inet4Address n : cfg.neighbors()) {
            Inet4Address src = ActiveActiveConfig.sourceTowards(n);
            String dev = src == null ? null : LinkMonitor.deviceOf(src);
            if (dev != null) devices.put("link to " + n.getHostAddress(), dev);
        }
        if (devices.isEmpty()) return;
        long periodMs = Math.max(20, Math.min(1000, cfg.keepalive().toMillis()));
        links = new LinkMonitor(devices, Duration.ofMillis(periodMs),
                down -> routing.execute(() -> {
                    linksDown = Set.copyOf(down);
                    judge();
                }), Path.of("/sys/class/net"));
        links.start();
    }

    private void startLvsd() {
        if (lvsd == null) return;
        lvsdStarter.execute(() -> {
            try {
                lvsd.start(() -> terminating);
                routing.execute(() -> {
                    lvsdBackoff = Duration.ofSeconds(1);
                    judge();
                });
            } catch (LvsdSupervisor.NotReady e) {
                routing.execute(() -> lvsdDied("lvsd did not start: " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void lvsdDied(String how) {
        if (terminating) return;
        lvsdRestarts++;
        LOG.severe(how + "; withdrawing its VIPs and starting lvsd again in " + lvsdBackoff.toSeconds() + " s");
        judge();
        routing.schedule(this::startLvsd, lvsdBackoff.toMillis(), TimeUnit.MILLISECONDS);
        lvsdBackoff = lvsdBackoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                : lvsdBackoff.multipliedBy(2);
    }

    /** Asks lvsd, judges, and changes BIRD's routes when the judgement changed. */
    private void judge() {
        if (terminating) return;
        JsonObject status = null;
        String problem = null;
        if (options.testStart()) {
            status = new JsonObject().put("ready", true).put("services", new JsonArray());
        } else if (lvsd.pid() == 0) {
            problem = "not running";
        } else {
            try {
                status = ControlClient.call(options.lvsd().controlSocket(), new JsonObject().put("cmd", "status"), cfg.keepalive());
            } catch (IOException e) {
                problem = e.getMessage();
            }
        }
        Map<ActiveActiveConfig.Vip, String> next = options.testStart() ? allAnnounced()
                : RouteHealth.judge(cfg.vips(), status, problem, linksDown);
        apply(next);
    }

    private Map<ActiveActiveConfig.Vip, String> allAnnounced() {
        Map<ActiveActiveConfig.Vip, String> m = new LinkedHashMap<>();
        for (ActiveActiveConfig.Vip v : cfg.vips()) m.put(v, null);
        return m;
    }

    private void apply(Map<ActiveActiveConfig.Vip, String> next) {
        Map<ActiveActiveConfig.Vip, String> before = verdict;
        boolean changed = false;
        for (var e : next.entrySet()) {
            String was = before.get(e.getKey());
            boolean wasAnnounced = before.containsKey(e.getKey()) && was == null;
            boolean announced = e.getValue() == null;
            if (wasAnnounced == announced && (announced || e.getValue().equals(was))) continue;
            if (wasAnnounced != announced) changed = true;
            String line = announced ? "VIP " + e.getKey().text() + " announced: this director is healthy for it"
                    : "VIP " + e.getKey().text() + " withdrawn: " + e.getValue();
            if (announced) LOG.info(line);
            else LOG.warning(line);
            record(e.getKey(), announced, e.getValue());
        }
        if (!next.keySet().equals(before.keySet())) changed = true;
        verdict = next;
        if (changed) {
            writeBird();
            if (!options.testStart()) bird.configure();
        }
    }

    private void record(ActiveActiveConfig.Vip vip, boolean announced, String reason) {
        routeChanges.incrementAndGet();
        synchronized (transitions) {
            transitions.addFirst(new JsonObject().put("vip", vip.text()).put("announced", announced).put("reason", reason)
                    .put("at", Instant.now().toString()).put("monotonicMs", System.nanoTime() / 1_000_000));
            while (transitions.size() > TRANSITIONS_KEPT) transitions.removeLast();
        }
    }

    private void writeBird() {
        List<Inet4Address> announced = new ArrayList<>();
        verdict.forEach((v, why) -> {
            if (why == null) announced.add(v.address());
        });
        String text = BirdConfig.render(cfg, announced);
        if (options.testStart()) {
            LOG.info("test-start: would write " + cfg.birdConfig() + " announcing " + announced.size() + " VIP(s)");
            return;
        }
        try {
            bird.write(text);
        } catch (IOException e) {
            LOG.severe("cannot write " + cfg.birdConfig() + ": " + e.getMessage());
        }
    }

    /** SIGHUP / reload: the VIPs, the BGP settings and lvsd follow lvs.cf; a bad file changes nothing. */
    private JsonObject reload() {
        LOG.info("rereading configuration file");
        ActiveActiveConfig next;
        try {
            next = ActiveActiveConfig.load(options.configFile());
        } catch (ConfigException e) {
            for (String line : e.getMessage().split("\n")) LOG.severe(line);
            LOG.warning("configuration not reloaded: the running one is kept");
            return new JsonObject().put("pulse", new JsonObject().put("applied", false)
                    .put("errors", new JsonArray(List.of(e.getMessage().split("\n")))));
        }
        for (ActiveActiveConfig.Vip v : cfg.vips()) {
            if (next.vips().stream().noneMatch(n -> n.address().equals(v.address()))) addresses.remove(plumbing(v));
        }
        ActiveActiveConfig old = cfg;
        cfg = next;
        for (ActiveActiveConfig.Vip v : next.vips()) {
            if (old.vips().stream().noneMatch(o -> o.address().equals(v.address()))) addresses.add(plumbing(v));
        }
        Map<ActiveActiveConfig.Vip, String> kept = new LinkedHashMap<>();
        for (ActiveActiveConfig.Vip v : next.vips()) kept.put(v, verdict.getOrDefault(v, "not judged yet"));
        verdict = kept;
        writeBird();
        if (!options.testStart()) bird.configure();
        if (old.monitorLinks() != next.monitorLinks() || !old.neighbors().equals(next.neighbors())) startLinks();
        peers.reload(next);
        JsonObject lvsdReply = lvsd == null ? null : lvsd.reloadThroughControlSocket(Duration.ofSeconds(30));
        judge();
        LOG.info("configuration reloaded");
        return new JsonObject().put("pulse", new JsonObject().put("applied", true)).put("lvsd", lvsdReply);
    }

    /**
     * Graceful stop: every route withdrawn first (the router moves the flows to the other directors),
     * one keepalive for that to happen, then lvsd, BIRD and the VIPs go.
     */
    private void terminate(int signal) {
        if (terminating) return;
        LOG.info("Terminating due to signal " + signal);
        Map<ActiveActiveConfig.Vip, String> none = new LinkedHashMap<>();
        for (ActiveActiveConfig.Vip v : cfg.vips()) none.put(v, "pulse is stopping");
        apply(none);
        terminating = true;
        try {
            Thread.sleep(cfg.keepalive().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (links != null) links.close();
        if (lvsd != null) lvsd.stop();
        peers.close();
        if (bird != null) bird.stop();
        for (ActiveActiveConfig.Vip v : cfg.vips()) addresses.remove(plumbing(v));
        exited.countDown();
    }

    private MetricsServer startMetrics() {
        return MetricsEndpoint.serve(options.metrics(), cfg.metrics(), this::status, ActiveActiveMetrics::of, r -> thread("metrics", r));
    }

    /** The control socket's status: the routes' verdicts, BIRD, lvsd. */
    public JsonObject status() {
        JsonArray routes = new JsonArray();
        verdict.forEach((v, why) -> routes.add(new JsonObject().put("vip", v.text())
                .put("services", new JsonArray(v.services())).put("announced", why == null).put("reason", why)));
        JsonArray recent;
        synchronized (transitions) {
            recent = new JsonArray(new ArrayList<>(transitions));
        }
        Bird b = bird;
        return new JsonObject().put("daemon", "pulse").put("pid", ProcessHandle.current().pid())
                .put("mode", "active_active").put("state", terminating ? "stopping" : "active")
                .put("since", startedAt.toString()).put("uptimeMs", (System.nanoTime() - startedNanos) / 1_000_000)
                .put("routes", routes).put("linksDown", new JsonArray(List.copyOf(linksDown)))
                .put("lvsdPid", lvsd == null ? 0 : lvsd.pid()).put("lvsdRestarts", lvsdRestarts)
                .put("bird", b == null ? null : b.status().put("sessions", b.sessions()))
                .put("routeChanges", routeChanges.get()).put("transitions", recent)
                .put("peers", peers.status());
    }
}
