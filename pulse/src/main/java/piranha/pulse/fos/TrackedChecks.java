package piranha.pulse.fos;

import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Logger;
import piranha.daemon.ScriptUser;
import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.StatusCodes;
import piranha.nanny.NannyConfig;
import piranha.nanny.check.Check;
import piranha.nanny.check.CheckEnvironment;
import piranha.nanny.check.CheckResult;
import piranha.nanny.check.CheckSpec;
import piranha.nanny.check.Checks;

/**
 * Runs the {@code track} blocks: each check every {@code interval} on a Vert.x timer, with nanny's check
 * kinds (a TCP connect, an http(s) GET, a program run without a shell as {@code script_user}) or
 * {@link ProcessCheck}; judged by {@link TrackState}. Every change of the set of failing checks is
 * reported ({@code failing}, the failover machine's {@code TrackedChecks}). A reload ({@link #apply})
 * keeps the checks that did not change, with their state. Vert.x is started with the first check.
 */
public final class TrackedChecks implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    /** What the status shows of one tracked check. lastAgeMs is -1 before the first result. */
    public record State(String name, String kind, String target, String health, String last, long checks,
                        long failures, long lastAgeMs) {}

    private final Consumer<Set<String>> failing;
    private final Path proc;
    private Vertx vertx;
    private CheckEnvironment env;
    private final Map<String, Running> running = new LinkedHashMap<>();
    private ScriptUser runAs = ScriptUser.DAEMON;
    private Set<String> reported;
    private boolean closed;

    /** @param failing told the names of the failing checks at start and whenever the set changes */
    public TrackedChecks(Consumer<Set<String>> failing) {
        this(failing, Path.of("/proc"));
    }

    TrackedChecks(Consumer<Set<String>> failing, Path proc) {
        this.failing = failing;
        this.proc = proc;
    }

    /**
     * Runs these checks from now on: new ones start, removed ones stop, changed ones (or command checks
     * when {@code script_user} changed) start again; the others keep running with their state.
     */
    public synchronized void apply(List<TrackedCheck> checks, ScriptUser user) {
        if (closed) return;
        ScriptUser as = user == null ? ScriptUser.DAEMON : user;
        boolean userChanged = !as.equals(runAs);
        runAs = as;
        Map<String, TrackedCheck> wanted = new LinkedHashMap<>();
        for (TrackedCheck c : checks) wanted.put(c.name(), c);
        for (var it = running.entrySet().iterator(); it.hasNext(); ) {
            Running r = it.next().getValue();
            TrackedCheck now = wanted.get(r.check.name());
            if (now == null || !now.equals(r.check) || userChanged && now.probe() == TrackedCheck.Probe.COMMAND) {
                r.stop();
                it.remove();
                if (now == null) LOG.info("track " + r.check.name() + ": no longer checked");
            }
        }
        Map<String, Running> next = new LinkedHashMap<>();
        for (TrackedCheck c : checks) {
            Running r = running.get(c.name());
            if (r == null) {
                r = new Running(c, build(c));
                LOG.info("track " + c.name() + ": checking " + c.describe() + " every " + c.interval() + " s (timeout "
                        + c.timeout() + " s, fall " + c.fall() + ", rise " + c.rise() + ")");
                r.start();
            }
            next.put(c.name(), r);
        }
        running.clear();
        running.putAll(next);
        report();
    }

    /** Each check in file order. */
    public synchronized List<State> states() {
        long now = System.nanoTime();
        List<State> out = new ArrayList<>();
        for (Running r : running.values()) {
            synchronized (r) {
                TrackState s = r.state;
                out.add(new State(r.check.name(), r.check.probe().key(), r.check.target(),
                        s.health().name().toLowerCase(java.util.Locale.ROOT), s.last(), s.checks(), s.failures(),
                        s.lastAtNanos() < 0 ? -1 : (now - s.lastAtNanos()) / 1_000_000));
            }
        }
        return out;
    }

    /** The names of the failing checks now. */
    public synchronized Set<String> failing() {
        Set<String> out = new TreeSet<>();
        for (Running r : running.values()) {
            synchronized (r) {
                if (r.state.failing()) out.add(r.check.name());
            }
        }
        return out;
    }

    private synchronized void report() {
        if (closed) return;
        Set<String> now = failing();
        if (!now.equals(reported)) {
            reported = now;
            failing.accept(Set.copyOf(now));
        }
    }

    private Check build(TrackedCheck c) {
        if (vertx == null) {
            vertx = Vertx.vertx();
            env = CheckEnvironment.create(vertx);
        }
        int timeout = c.timeout();
        return switch (c.probe()) {
            case PROCESS -> new ProcessCheck(vertx, c.target(), proc);
            case COMMAND -> Checks.forConfig(NannyConfig.builder("127.0.0.1", 1).sendProgram(c.target())
                    .timeout(timeout).runAs(runAs).build(), env);
            case TCP -> {
                int colon = c.target().lastIndexOf(':');
                String host = c.target().substring(0, colon).replace("[", "").replace("]", "");
                int port = Integer.parseInt(c.target().substring(colon + 1));
                yield Checks.forConfig(NannyConfig.builder(host, port).timeout(timeout)
                        .check(CheckSpec.of(CheckKind.TCP)).build(), env);
            }
            case HTTP -> {
                URI u = URI.create(c.target());
                boolean tls = u.getScheme().equals("https");
                int port = u.getPort() > 0 ? u.getPort() : tls ? 443 : 80;
                String host = u.getHost().replace("[", "").replace("]", "");
                String path = (u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath())
                        + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
                String hostHeader = u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
                CheckSpec spec = CheckSpec.of(tls ? CheckKind.HTTPS : CheckKind.HTTP)
                        .withHttp(new CheckSpec.Http("GET", path, hostHeader, StatusCodes.SUCCESS, null, null, 0));
                yield Checks.forConfig(NannyConfig.builder(host, port).timeout(timeout).check(spec).build(), env);
            }
        };
    }

    /** One check on its timer. Its state is guarded by itself; results arrive on the event loop. */
    private final class Running {
        final TrackedCheck check;
        final Check probe;
        final TrackState state;
        private long timer = -1;
        private boolean inFlight;
        private boolean stopped;

        Running(TrackedCheck check, Check probe) {
            this.check = check;
            this.probe = probe;
            this.state = new TrackState(check.fall(), check.rise());
        }

        void start() {
            // the first check at once, then every interval; a check still running skips its turn
            vertx.runOnContext(v -> {
                due();
                synchronized (this) {
                    if (!stopped) timer = vertx.setPeriodic(check.interval() * 1000L, id -> due());
                }
            });
        }

        private void due() {
            synchronized (this) {
                if (stopped || inFlight) return;
                inFlight = true;
            }
            probe.run().onComplete(ar -> {
                CheckResult r = ar.succeeded() ? ar.result()
                        : CheckResult.fail("check failed to run: " + ar.cause(), System.nanoTime());
                boolean changed;
                synchronized (this) {
                    inFlight = false;
                    if (stopped) return;
                    changed = state.onResult(r.healthy(), r.reason(), System.nanoTime());
                }
                if (changed) {
                    if (state.failing()) {
                        LOG.warning("track " + check.name() + ": " + check.describe() + " failing: " + r.reason());
                    } else {
                        LOG.info("track " + check.name() + ": " + check.describe() + " passing again: " + r.reason());
                    }
                    report();
                }
            });
        }

        synchronized void stop() {
            stopped = true;
            if (timer >= 0) vertx.cancelTimer(timer);
            probe.close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (Running r : running.values()) r.stop();
        running.clear();
        if (vertx != null) vertx.close();
    }
}
