package piranha.pulse.fos;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.logging.Logger;
import piranha.daemon.ProcessRunner;
import piranha.nanny.HealthState;
import piranha.nanny.Nanny;
import piranha.nanny.NannyConfig;
import piranha.nanny.Verdict;
import piranha.nanny.check.CheckEnvironment;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.state.Input;

/**
 * The failover services of {@code service = fos}. On the active director: each start_cmd runs supervised
 * (no shell; a start_cmd that exits 0 is a starter of a daemon, the checks watch that), and each
 * service is checked on its address with nanny's checks and verdict logic; a start_cmd that cannot
 * start, fails or dies, and a check failing {@code fall} times in a row are reported to the failover
 * machine ({@link Input.ServiceFailed}). On deactivation the checks stop, start_cmd's process is
 * stopped and stop_cmd runs (with a timeout, output logged). On the standby the partner's services are
 * probed on their addresses ({@code fos --monitor}); a probe that saw the service up and then fails is
 * reported with the gateway check's answer ({@link Input.PartnerServiceFailed}).
 * activate/deactivate/monitor are called on the director's thread only.
 */
public final class FosServices implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    /** What the status shows of one service. */
    public record State(String name, String role, String health, String lastResult) {}

    /** Who hears each change of a service's role or health (the event stream); must not block. */
    public void onStateChange(java.util.function.Consumer<State> listener) {
        this.stateListener = listener;
    }

    /** The active failover blocks; replaced by a reload, on the director's thread. */
    private volatile List<FailoverService> services;
    private final CommandRunner runner;
    private final Duration stopTimeout;
    private final Consumer<Input> feedback;
    private final GatewayCheck gateway;
    private final Vertx vertx;
    private final CheckEnvironment env;
    private final ExecutorService gatewayThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fos-gateway");
        t.setDaemon(true);
        return t;
    });
    /** The running checks, by service name. */
    private final Map<String, Nanny> nannies = new java.util.LinkedHashMap<>();
    private final Map<String, ProcessRunner.Child> children = new ConcurrentHashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>() {
        @Override
        public State put(String name, State state) {
            State before = super.put(name, state);
            if (before == null || !before.role().equals(state.role()) || !before.health().equals(state.health())) {
                stateListener.accept(state);
            }
            return before;
        }
    };
    private volatile java.util.function.Consumer<State> stateListener = s -> { };
    private volatile boolean activeRole;
    /** The standby probes the partner's services (after the first deactivation). */
    private volatile boolean monitoring;
    /** Bumped at each activate/deactivate/monitor: late verdicts of an earlier role are ignored. */
    private volatile long generation;

    public FosServices(List<FailoverService> services, CommandRunner runner, Duration stopTimeout,
                       Consumer<Input> feedback) {
        this.services = List.copyOf(services);
        this.runner = runner;
        this.stopTimeout = stopTimeout;
        this.feedback = feedback;
        this.gateway = new GatewayCheck(runner);
        this.vertx = Vertx.vertx();
        this.env = CheckEnvironment.create(vertx);
        for (FailoverService s : services) states.put(s.name(), new State(s.name(), "standby", "unknown", ""));
    }

    /** Runs every start_cmd, then checks the services. Called after the addresses are plumbed. */
    public void activate() {
        stopAll();
        long gen = ++generation;
        activeRole = true;
        for (FailoverService s : services) {
            if (!start(s, gen)) return;
        }
        for (FailoverService s : services) watch(s, gen, true);
    }

    /** Runs a service's start_cmd, supervised; false when it cannot start (reported as a failed service). */
    private boolean start(FailoverService s, long gen) {
        if (s.startCmd().isEmpty()) return true;
        LOG.info("failover " + s.name() + ": running start_cmd " + String.join(" ", s.startCmd()));
        if (runner.testStart()) return true;
        try {
            ProcessRunner.Child c = ProcessRunner.shared().start(s.startCmd());
            children.put(s.name(), c);
            c.onExit().thenAccept(done -> childExited(s, done, gen));
            return true;
        } catch (IOException e) {
            fail(s, gen, "failover " + s.name() + ": start_cmd " + s.startCmd().get(0) + " cannot start: " + e.getMessage());
            return false;
        }
    }

    /**
     * A reload, first step, while the old addresses still exist: the services that went, or whose
     * address or commands changed, stop (on the active director: start_cmd's process stopped, stop_cmd
     * run); those whose check alone changed stop being checked. Director's thread.
     */
    public void retire(List<FailoverService> next) {
        Map<String, FailoverService> wanted = new java.util.HashMap<>();
        for (FailoverService s : next) wanted.put(s.name(), s);
        for (FailoverService s : services) {
            FailoverService n = wanted.get(s.name());
            if (s.equals(n)) continue;
            stopCheck(s.name());
            if (n != null && sameProcess(s, n)) continue;
            if (activeRole) stop(s);
            states.remove(s.name());
            LOG.info("failover " + s.name() + (n == null ? ": removed" : ": changed") + " by the reload");
        }
    }

    /**
     * A reload, second step, once the new addresses exist: the new or changed services start (on the
     * active director: start_cmd, then its check) or are probed (on the standby). Director's thread.
     */
    public void admit(List<FailoverService> next) {
        List<FailoverService> old = services;
        services = List.copyOf(next);
        long gen = generation;
        for (FailoverService s : next) {
            FailoverService was = old.stream().filter(o -> o.name().equals(s.name())).findFirst().orElse(null);
            if (s.equals(was)) continue;
            if (!activeRole) {
                if (monitoring) watch(s, gen, false);
                else states.put(s.name(), new State(s.name(), "standby", "unknown", ""));
                continue;
            }
            if ((was == null || !sameProcess(was, s)) && !start(s, gen)) return;
            watch(s, gen, true);
        }
    }

    /** The same address and commands: only the check differs, the running service stays. */
    private static boolean sameProcess(FailoverService a, FailoverService b) {
        return a.address().equals(b.address()) && a.startCmd().equals(b.startCmd()) && a.stopCmd().equals(b.stopCmd());
    }

    /** Stops checks and start_cmd's process, runs every stop_cmd. Called before the addresses go. */
    public void deactivate() {
        boolean wasActive = activeRole;
        stopAll();
        ++generation;
        activeRole = false;
        if (!wasActive) return;
        for (FailoverService s : services) stop(s);
    }

    /** Stops start_cmd's process (SIGTERM, SIGKILL after the timeout) and runs stop_cmd. */
    private void stop(FailoverService s) {
        ProcessRunner.Child c = children.remove(s.name());
        if (c != null && c.isAlive()) {
            c.terminate();
            try {
                if (!c.waitFor(stopTimeout)) c.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (s.stopCmd().isEmpty()) return;
        CommandRunner.Result r = runner.run(s.stopCmd(), stopTimeout);
        String out = r.output().isEmpty() ? "" : ": " + r.output();
        if (r.ok()) {
            LOG.info("failover " + s.name() + ": stop_cmd " + String.join(" ", s.stopCmd()) + " done" + out);
        } else {
            LOG.warning("failover " + s.name() + ": stop_cmd " + String.join(" ", s.stopCmd())
                    + " failed (status " + r.status() + ")" + out);
        }
    }

    /** Standby: probe the partner's services on their addresses. */
    public void monitor() {
        stopAll();
        long gen = ++generation;
        activeRole = false;
        monitoring = true;
        for (FailoverService s : services) watch(s, gen, false);
    }

    public List<State> states() {
        // a reload between its two steps may have dropped a state not yet given again
        return services.stream().map(s -> states.getOrDefault(s.name(), new State(s.name(), activeRole ? "active" : "standby",
                "unknown", ""))).toList();
    }

    private void watch(FailoverService s, long gen, boolean own) {
        if (runner.testStart()) return;
        NannyConfig c = NannyConfig.builder(s.address().getHostAddress(), s.port())
                .vip(s.address().getHostAddress())
                .protocol(s.udp() ? NannyConfig.Protocol.UDP : NannyConfig.Protocol.TCP)
                .send(s.send()).expect(s.expect()).useRegex(s.useRegex())
                .timeout(s.timeout()).reentry(s.timeout()).rise(1).fall(s.fall())
                .build();
        String role = own ? "active" : "monitor";
        states.put(s.name(), new State(s.name(), role, "unknown", ""));
        Nanny n = new Nanny(env, c, v -> verdict(s, v, gen, own));
        synchronized (nannies) {
            Nanny old = nannies.put(s.name(), n);
            if (old != null) old.stop();
        }
        n.start();
        if (!own) LOG.info("starting FOS client monitor for " + s.endpoint());
    }

    private void verdict(FailoverService s, Verdict v, long gen, boolean own) {
        if (gen != generation || !services.contains(s)) return; // an earlier role's, or a service a reload changed
        String role = own ? "active" : "monitor";
        if (v.state() == HealthState.UP) {
            states.put(s.name(), new State(s.name(), role, "up", v.reason()));
            return;
        }
        states.put(s.name(), new State(s.name(), role, "down", v.reason()));
        if (own) {
            fail(s, gen, "failover " + s.name() + ": check of " + s.endpoint() + " failed " + s.fall()
                    + " time(s): " + v.reason());
        } else {
            String why = "failover " + s.name() + ": partner's service on " + s.endpoint() + " failed: " + v.reason();
            gatewayThread.execute(() -> {
                boolean ok = gateway.reachable();
                if (gen == generation) feedback.accept(new Input.PartnerServiceFailed(why, ok));
            });
        }
    }

    private void childExited(FailoverService s, ProcessRunner.Child c, long gen) {
        if (gen != generation || children.get(s.name()) != c) return; // stopped by us
        int status = c.exitValue();
        if (status == 0) {
            LOG.info("failover " + s.name() + ": start_cmd exited with status 0 (a starter; the checks watch the service)");
            return;
        }
        fail(s, gen, "failover " + s.name() + ": start_cmd (pid " + c.pid() + ") exited with status " + status);
    }

    private void fail(FailoverService s, long gen, String why) {
        if (gen != generation) return;
        states.put(s.name(), new State(s.name(), "active", "failed", why));
        feedback.accept(new Input.ServiceFailed(why));
    }

    private void stopAll() {
        List<Nanny> old;
        synchronized (nannies) {
            old = new ArrayList<>(nannies.values());
            nannies.clear();
        }
        for (Nanny n : old) n.stop();
    }

    private void stopCheck(String name) {
        Nanny n;
        synchronized (nannies) {
            n = nannies.remove(name);
        }
        if (n != null) n.stop();
    }

    @Override
    public void close() {
        ++generation;
        stopAll();
        // pulse leaves no service of its own behind: a start_cmd still running (a foreground server)
        // goes with it, even when pulse stops without having deactivated
        for (ProcessRunner.Child c : List.copyOf(children.values())) {
            if (!c.isAlive()) continue;
            c.terminate();
            try {
                if (!c.waitFor(stopTimeout)) c.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                c.kill();
            }
        }
        children.clear();
        gatewayThread.shutdownNow();
        vertx.close();
    }
}
