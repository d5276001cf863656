package piranha.daemon;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Logger;

import io.vertx.core.json.JsonObject;

/**
 * lvs.cf's {@code notify_KIND} programs, keepalived's notify done right: for each event of a kind
 * that has one, the program is run without a shell (the value split on blanks, as active_cmd),
 * as {@code script_user}, with the event as one JSON line on its standard input; one at a time in
 * the events' order (a program never races the one before it), each killed with its children after
 * {@code notify_timeout}. A failure or a timeout is logged and the next event's program runs. The
 * queue is bounded: events that find 1,000 waiting are not given to a program (logged, counted);
 * the event stream itself still has them.
 */
public final class EventHooks implements Consumer<JsonObject>, AutoCloseable {
    private static final int QUEUE = 1000;

    /** What runs for which kind, as lvs.cf says now (replaced at a reload). */
    public record Settings(Map<String, String> commands, Duration timeout, ScriptUser user) {
        public static final Settings NONE = new Settings(Map.of(), Duration.ofSeconds(10), ScriptUser.DAEMON);

        public Settings {
            commands = Map.copyOf(commands);
        }
    }

    private final Logger log;
    private final ProcessRunner runner;
    private final ThreadPoolExecutor queue;
    private final AtomicLong dropped = new AtomicLong();
    private volatile Settings settings = Settings.NONE;

    /**
     * @param daemon the logger's name ("lvsd", "pulse")
     * @param threads makes the one thread that runs the programs (pulse: real-time)
     */
    public EventHooks(String daemon, ProcessRunner runner, java.util.concurrent.ThreadFactory threads) {
        this.log = Logger.getLogger(daemon);
        this.runner = runner;
        this.queue = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(QUEUE), threads);
    }

    /** The programs for the events published from now on. */
    public void configure(Settings s) {
        this.settings = s;
    }

    /** Events not given to a program because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Queues the event's program, if its kind has one; never blocks. */
    @Override
    public void accept(JsonObject event) {
        Settings s = settings;
        String command = s.commands().get(event.getString("kind"));
        if (command == null) {
            return;
        }
        List<String> argv = s.user().command(Arrays.asList(command.trim().split("\\s+")));
        String line = event.encode() + "\n";
        try {
            queue.execute(() -> run(argv, line, s.timeout(), event.getLong("seq")));
        } catch (RejectedExecutionException e) {
            long n = dropped.incrementAndGet();
            if (n == 1 || n % 100 == 0) {
                log.warning("notify_" + event.getString("kind") + ": " + n + " event(s) not given to " + command
                        + ": " + QUEUE + " wait already (the program is slower than the events)");
            }
        }
    }

    private void run(List<String> argv, String line, Duration timeout, long seq) {
        try {
            ProcessRunner.Result r = runner.runAndWait(ProcessRunner.Spec.of(argv, timeout).withStdin(line)
                    .withStderr(ProcessRunner.Stderr.MERGE));
            if (!r.ok()) {
                log.warning("notify " + String.join(" ", argv) + " for event #" + seq + " failed: "
                        + (r.status() == ProcessRunner.Result.Status.TIMED_OUT ? "killed after " + timeout.toMillis() + " ms"
                        : r.status() == ProcessRunner.Result.Status.FAILED_TO_START ? r.error()
                        : "exit status " + r.exitCode()) + (r.stdoutText().isBlank() ? "" : ": " + r.stdoutText().strip()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets the queued programs run (each within its timeout), takes no more. */
    @Override
    public void close() {
        queue.shutdown();
    }
}
