package piranha.pulse.lvsd;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.logging.Logger;
import piranha.daemon.ControlClient;
import piranha.daemon.ProcessRunner;

/**
 * Starts lvsd on activation, waits for its readiness, stops it (SIGTERM) on deactivation, and reports
 * an lvsd that dies while pulse still wants it.
 */
public final class LvsdSupervisor {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final int SIGHUP = 1;
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** A live lvsd answers status at once; one that does not within this is not counted as running. */
    private static final Duration LEFT_OVER_ANSWER = Duration.ofSeconds(2);

    interface LibC extends Library {
        int kill(int pid, int sig) throws LastErrorException;
    }

    private static final class Holder {
        static final LibC C = Native.load("c", LibC.class);
    }

    /**
     * @param program      lvsd launcher (--lvsd=PATH)
     * @param configFile   lvs.cf, passed as -c
     * @param foreground   pulse runs with -n: lvsd gets --nodaemon, otherwise --nofork (as Piranha)
     * @param verbose      pass -v
     * @param controlSocket where lvsd listens for the readiness hand-shake
     * @param controlGroup  passed on as --control-group (the configuration tool's group), or null
     */
    public record Options(String program, Path configFile, boolean foreground, boolean verbose, Path controlSocket,
                          Duration readyTimeout, String controlGroup) {
        public Options(String program, Path configFile, boolean foreground, boolean verbose, Path controlSocket,
                       Duration readyTimeout) {
            this(program, configFile, foreground, verbose, controlSocket, readyTimeout, null);
        }
    }

    /** lvsd did not become ready; the message says why. */
    public static final class NotReady extends Exception {
        public NotReady(String message) {
            super(message);
        }
    }

    private final Options options;
    private final Consumer<String> onUnexpectedExit;
    /** Written under this object's lock; read without it by {@link #pid}. */
    private volatile ProcessRunner.Child process;
    private volatile boolean stopping;
    /** After {@link #close}: no lvsd is started any more, and a start under way gives up. */
    private volatile boolean closed;

    public LvsdSupervisor(Options options, Consumer<String> onUnexpectedExit) {
        this.options = options;
        this.onUnexpectedExit = onUnexpectedExit;
    }

    public List<String> commandLine() {
        List<String> argv = new ArrayList<>(List.of(options.program(),
                options.foreground() ? "--nodaemon" : "--nofork", "-c", options.configFile().toString()));
        if (options.verbose()) argv.add("-v");
        argv.addAll(List.of("--control-socket", options.controlSocket().toString()));
        if (options.controlGroup() != null) argv.addAll(List.of("--control-group", options.controlGroup()));
        return argv;
    }

    /** Starts lvsd and waits until it reports ready. On failure lvsd is stopped again. */
    public synchronized void start(BooleanSupplier superseded) throws NotReady, InterruptedException {
        if (closed) throw new NotReady("pulse is stopping");
        if (process != null && process.isAlive()) return;
        stopping = false;
        retireLeftOver();
        try {
            Files.deleteIfExists(options.controlSocket());
        } catch (IOException e) {
            throw new NotReady("cannot remove stale " + options.controlSocket() + ": " + e.getMessage());
        }
        List<String> argv = commandLine();
        ProcessRunner.Child p;
        try {
            p = ProcessRunner.shared().start(argv);
        } catch (IOException e) {
            throw new NotReady("cannot start " + options.program() + ": " + e.getMessage());
        }
        process = p;
        long pid = p.pid();
        LOG.fine(() -> "started lvsd as pid " + pid + ": " + String.join(" ", argv));
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        try {
            awaitReady(options.controlSocket(), deadline, () -> !p.isAlive() || closed || superseded.getAsBoolean());
        } catch (NotReady e) {
            String why = p.isAlive() ? e.getMessage() : "lvsd exited with status " + p.exitValue() + " before it was ready";
            stop();
            throw new NotReady(why);
        }
        p.onExit().thenAccept(this::exited);
    }

    /**
     * The readiness hand-shake: {"cmd":"wait-ready"} on lvsd's control socket (retried until lvsd has
     * created it, and again after an answer without "ready": the socket's own reply deadline passed),
     * until {"ready":true} or {"ready":false,"error":"..."}, by the deadline.
     * giveUp is polled meanwhile: lvsd died, or the activation was superseded.
     */
    static void awaitReady(Path socket, long deadlineNanos, BooleanSupplier giveUp) throws NotReady, InterruptedException {
        JsonObject waitReady = new JsonObject().put("cmd", "wait-ready");
        while (true) {
            CompletableFuture<JsonObject> reply = Files.exists(socket) ? ControlClient.request(socket, waitReady) : null;
            try {
                while (reply == null || !reply.isDone()) {
                    if (giveUp.getAsBoolean()) throw new NotReady("lvsd exited before it was ready");
                    if (System.nanoTime() - deadlineNanos >= 0) {
                        throw new NotReady(reply == null ? "no control socket at " + socket : "lvsd did not report ready in time");
                    }
                    if (reply == null) {
                        Thread.sleep(20);
                        break;
                    }
                    try {
                        reply.get(20, TimeUnit.MILLISECONDS);
                    } catch (TimeoutException | ExecutionException e) {
                        // polled again above
                    }
                }
                if (reply == null) continue;
                JsonObject answer;
                try {
                    answer = reply.join();
                } catch (CompletionException e) {
                    // the socket exists but nobody listens yet (or a stale one): ask again
                    Thread.sleep(20);
                    continue;
                }
                if (!answer.containsKey("ready")) {
                    // lvsd's control socket bounds every deferred answer (60 s): a start that takes
                    // longer (lvsd_ready_timeout above it, tens of thousands of servers) is asked again
                    continue;
                }
                if (!Boolean.TRUE.equals(answer.getValue("ready"))) {
                    throw new NotReady("lvsd is not ready: " + answer.getValue("error", answer.encode()));
                }
                return;
            } finally {
                if (reply != null) reply.cancel(true);
            }
        }
    }

    private void exited(ProcessRunner.Child p) {
        synchronized (this) {
            if (stopping || p != process) return;
            process = null;
        }
        onUnexpectedExit.accept(describe(p.pid(), p.exitValue()));
    }

    static String describe(long pid, int status) {
        // Java reports death by signal N as 128 + N
        return status > 128 ? "Child process " + pid + " exited due to signal " + (status - 128)
                : "Child process " + pid + " exited with status " + status;
    }

    /**
     * pulse is going: stops lvsd, and no lvsd is started after this (a restart whose back-off ends
     * now, a start under way, which gives up within its next poll).
     */
    public void close() {
        closed = true;
        stop();
    }

    /**
     * Stops an lvsd that an earlier pulse left running (a pulse killed with -9 stops nothing; under
     * systemd the unit's cgroup goes with it, under SysV its lvsd stays): it still answers on the
     * control socket, drives the table and runs its checks, and two lvsd would fight over one table.
     * Only a process that answers on this pulse's control socket as lvsd, with its own pid, is
     * stopped: SIGTERM, then SIGKILL after the grace period. Nothing when nobody answers.
     */
    public synchronized void retireLeftOver() {
        Path socket = options.controlSocket();
        if (!Files.exists(socket) || (process != null && process.isAlive())) return;
        JsonObject status;
        try {
            status = ControlClient.call(socket, new JsonObject().put("cmd", "status"), LEFT_OVER_ANSWER);
        } catch (IOException e) {
            return; // a socket nobody listens on: start() removes it
        }
        if (!"lvsd".equals(status.getValue("daemon")) || !(status.getValue("pid") instanceof Number n)) return;
        ProcessHandle left = ProcessHandle.of(n.longValue()).orElse(null);
        if (left == null || !left.isAlive() || left.pid() == ProcessHandle.current().pid()) return;
        LOG.warning("lvsd (pid " + left.pid() + ") left running by an earlier pulse still answers on " + socket
                + "; stopping it before this pulse runs its own");
        left.destroy();
        try {
            if (!exits(left, STOP_GRACE)) {
                LOG.warning("lvsd (pid " + left.pid() + ") ignored SIGTERM for " + STOP_GRACE.toSeconds() + " s, killing it");
                left.destroyForcibly();
                exits(left, Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            left.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the process ended within the time (onExit never completes exceptionally). */
    private static boolean exits(ProcessHandle p, Duration within) throws InterruptedException {
        try {
            p.onExit().get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    public synchronized void stop() {
        ProcessRunner.Child p = process;
        if (p == null) return;
        stopping = true;
        process = null;
        p.terminate();
        try {
            if (!p.waitFor(STOP_GRACE)) {
                LOG.warning("lvsd (pid " + p.pid() + ") ignored SIGTERM for " + STOP_GRACE.toSeconds() + " s, killing it");
                p.kill();
                p.waitFor(Duration.ofSeconds(2));
            }
        } catch (InterruptedException e) {
            p.kill();
            Thread.currentThread().interrupt();
        }
    }

    /** Forwards a reload (SIGHUP) to lvsd; nothing when it is not running (Piranha would signal its group). */
    public synchronized void reload() {
        ProcessRunner.Child p = process;
        if (p == null || !p.isAlive()) return;
        try {
            Holder.C.kill((int) p.pid(), SIGHUP);
        } catch (LastErrorException e) {
            LOG.warning("cannot forward SIGHUP to lvsd (pid " + p.pid() + "): errno " + e.getErrorCode());
        }
    }

    /**
     * A reload through lvsd's control socket ({"cmd":"reload"}): lvsd's reply, which says what it
     * changed or why it refused; {"error":...} when it does not answer; null when lvsd is not running.
     */
    public JsonObject reloadThroughControlSocket(Duration timeout) {
        ProcessRunner.Child p = process;
        if (p == null || !p.isAlive()) return null;
        try {
            return ControlClient.call(options.controlSocket(), new JsonObject().put("cmd", "reload"), timeout);
        } catch (IOException e) {
            return new JsonObject().put("error", "lvsd (pid " + p.pid() + ") did not answer: " + e.getMessage());
        }
    }

    /**
     * Never waits: the status request asks on the heartbeat thread, while {@link #start} may hold the lock
     * for as long as lvsd takes to become ready.
     */
    public long pid() {
        ProcessRunner.Child p = process;
        return p == null ? 0 : p.pid();
    }
}
