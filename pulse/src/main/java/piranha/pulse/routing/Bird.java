package piranha.pulse.routing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ProcessRunner;
import piranha.pulse.exec.CommandRunner;

/**
 * BIRD as pulse's supervised child: {@code bird -f} with the configuration pulse writes and a control
 * socket of its own, under {@code setpriv --pdeathsig TERM} so that BIRD (and with it every route of
 * this director) goes when pulse dies, even by SIGKILL. A BIRD that exits is started again after 1 s,
 * doubling up to 30 s while it keeps dying (reset after a minute of running). While it is down the
 * router has no route through this director: no traffic comes here, which is the safe failure.
 *
 * <p>All methods run on pulse's routing thread (the executor given), never concurrently.
 */
public final class Bird {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration STABLE = Duration.ofMinutes(1);
    private static final Duration BIRDC_TIMEOUT = Duration.ofSeconds(5);

    private final Path config;
    private final Path socket;
    private final String bird;
    private final String birdc;
    private final ScheduledExecutorService thread;
    private final CommandRunner runner;
    private final Consumer<String> onExit;
    private volatile ProcessRunner.Child child;
    private long startedNanos;
    private Duration backoff = FIRST_BACKOFF;
    private boolean stopping;
    private volatile int restarts;
    private volatile String lastExit;
    private volatile long pid;

    /**
     * @param onExit told (on the routing thread) each time BIRD exits unexpectedly, with the status line
     */
    public Bird(Path config, Path socket, String bird, String birdc, ScheduledExecutorService thread,
                CommandRunner runner, Consumer<String> onExit) {
        this.config = config;
        this.socket = socket;
        this.bird = bird;
        this.birdc = birdc;
        this.thread = thread;
        this.runner = runner;
        this.onExit = onExit;
    }

    /** The program names, found in PATH or BIRD's Debian/RHEL place. */
    public static String program(String name) {
        for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
        }
        return name;
    }

    /** Writes the configuration atomically (BIRD may read it at any moment: at its start, at configure). */
    public void write(String text) throws IOException {
        Files.createDirectories(config.toAbsolutePath().getParent());
        Path tmp = config.resolveSibling(config.getFileName() + ".new");
        Files.writeString(tmp, text);
        Files.move(tmp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public List<String> commandLine() {
        List<String> argv = new ArrayList<>();
        String setpriv = program("setpriv");
        if (Files.isExecutable(Path.of(setpriv))) argv.addAll(List.of(setpriv, "--pdeathsig", "TERM"));
        argv.addAll(List.of(bird, "-f", "-c", config.toString(), "-s", socket.toString()));
        return argv;
    }

    /** Starts BIRD on the written configuration; a failure to start is retried like an exit. */
    public void start() {
        if (stopping || (child != null && child.isAlive())) return;
        try {
            Files.createDirectories(socket.toAbsolutePath().getParent());
            Files.deleteIfExists(socket);
            List<String> argv = commandLine();
            ProcessRunner.Child c = ProcessRunner.shared().start(argv);
            child = c;
            pid = c.pid();
            startedNanos = System.nanoTime();
            LOG.info("started bird as pid " + c.pid() + ": " + String.join(" ", argv));
            c.onExit().thenAccept(x -> thread.execute(() -> exited(x)));
        } catch (IOException e) {
            failed("cannot start " + bird + ": " + e.getMessage());
        }
    }

    private void exited(ProcessRunner.Child c) {
        if (c != child || stopping) return;
        child = null;
        pid = 0;
        int status = c.exitValue();
        String how = status > 128 ? "was killed by signal " + (status - 128) : "exited with status " + status;
        if (System.nanoTime() - startedNanos > STABLE.toNanos()) backoff = FIRST_BACKOFF;
        failed("bird (pid " + c.pid() + ") " + how);
    }

    private void failed(String what) {
        restarts++;
        String line = what + ": its routes went with it, no traffic comes to this director; restarting it in "
                + backoff.toMillis() / 1000.0 + " s";
        lastExit = what;
        LOG.severe(line);
        onExit.accept(line);
        thread.schedule(this::start, backoff.toMillis(), TimeUnit.MILLISECONDS);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    public boolean running() {
        ProcessRunner.Child c = child;
        return c != null && c.isAlive();
    }

    /**
     * {@code birdc configure}: BIRD reads the written file; routes left out are withdrawn from the
     * neighbours at once. False when BIRD is not running or refused (the next start reads the file anyway).
     */
    public boolean configure() {
        if (!running() || !Files.exists(socket)) return false;
        CommandRunner.Result r = runner.run(List.of(birdc, "-s", socket.toString(), "configure"), BIRDC_TIMEOUT);
        if (r.ok() && (r.output().contains("Reconfigured") || r.output().contains("Reconfiguration in progress"))) {
            return true;
        }
        LOG.warning("birdc configure: " + r.output());
        return false;
    }

    /** Each BGP session's state as BIRD reports it (birdc show protocols); empty when BIRD does not answer. */
    public JsonArray sessions() {
        JsonArray out = new JsonArray();
        if (!running() || !Files.exists(socket)) return out;
        CommandRunner.Result r = runner.run(List.of(birdc, "-s", socket.toString(), "show", "protocols"), BIRDC_TIMEOUT);
        if (!r.ok()) return out;
        for (String line : r.output().split("\n")) {
            String[] w = line.trim().split("\\s+");
            if (w.length >= 4 && w[1].equals("BGP")) {
                out.add(new JsonObject().put("protocol", w[0]).put("state", w[3])
                        .put("info", w.length > 5 ? String.join(" ", java.util.Arrays.copyOfRange(w, 5, w.length)) : ""));
            }
        }
        return out;
    }

    /** SIGTERM (BIRD closes its sessions with a Cease notification), SIGKILL after 5 s. */
    public void stop() {
        stopping = true;
        ProcessRunner.Child c = child;
        child = null;
        pid = 0;
        if (c == null) return;
        c.terminate();
        try {
            if (!c.waitFor(Duration.ofSeconds(5))) {
                LOG.warning("bird (pid " + c.pid() + ") ignored SIGTERM for 5 s, killing it");
                c.kill();
            }
        } catch (InterruptedException e) {
            c.kill();
            Thread.currentThread().interrupt();
        }
    }

    public JsonObject status() {
        long p = pid;
        return new JsonObject().put("pid", p).put("state", p != 0 ? "running" : "down").put("restarts", restarts)
                .put("lastExit", lastExit).put("config", config.toString()).put("socket", socket.toString());
    }
}
