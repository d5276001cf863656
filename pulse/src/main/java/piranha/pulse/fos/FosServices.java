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

    private final List<FailoverService> services;
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
    private final List<Nanny> nannies = new ArrayList<>();
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
            if (s.startCmd().isEmpty()) continue;
            LOG.info("failover " + s.name() + ": running start_cmd " + String.join(" ", s.startCmd()));
            if (runner.testStart()) continue;
            try {
                ProcessRunner.Child c = ProcessRunner.shared().start(s.startCmd());
                children.put(s.name(), c);
                c.onExit().thenAccept(done -> childExited(s, done, gen));
            } catch (IOException e) {
                fail(s, gen, "failover " + s.name() + ": start_cmd " + s.startCmd().get(0) + " cannot start: " + e.getMessage());
                return;
            }
        }
        for (FailoverService s : services) watch(s, gen, true);
    }

    /** Stops checks and start_cmd's process, runs every stop_cmd. Called before the addresses go. */
    public void deactivate() {
        boolean wasActive = activeRole;
        stopAll();
        ++generation;
        activeRole = false;
        if (!wasActive) return;
        for (FailoverService s : services) {
            ProcessRunner.Child c = children.remove(s.name());
            if (c != null && c.isAlive()) {
                c.terminate();
                try {
                    if (!c.waitFor(stopTimeout)) c.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (s.stopCmd().isEmpty()) continue;
            CommandRunner.Result r = runner.run(s.stopCmd(), stopTimeout);
            String out = r.output().isEmpty() ? "" : ": " + r.output();
            if (r.ok()) {
                LOG.info("failover " + s.name() + ": stop_cmd " + String.join(" ", s.stopCmd()) + " done" + out);
            } else {
                LOG.warning("failover " + s.name() + ": stop_cmd " + String.join(" ", s.stopCmd())
                        + " failed (status " + r.status() + ")" + out);
            }
        }
    }

    /** Standby: probe the partner's services on their addresses. */
    public void monitor() {
        stopAll();
        long gen = ++generation;
        activeRole = false;
        for (FailoverService s : services) watch(s, gen, false);
    }

    public List<State> states() {
        return services.stream().map(s -> states.get(s.name())).toList();
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
            nannies.add(n);
        }
        n.start();
        if (!own) LOG.info("starting FOS client monitor for " + s.endpoint());
    }

    private void verdict(FailoverService s, Verdict v, long gen, boolean own) {
        if (gen != generation) return;
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
        if (gen != generation) return; // stopped by us
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
            old = new ArrayList<>(nannies);
            nannies.clear();
        }
        for (Nanny n : old) n.stop();
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
