package piranha.pulse.exec;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;
import piranha.daemon.ScriptUser;

/**
 * active_cmd / inactive_cmd: split on blanks and executed without a shell (as Piranha), but supervised:
 * one at a time in request order, each killed after hook_timeout, exit status logged. They never delay
 * the heartbeat or the address moves.
 */
public final class HookRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");
    private final CommandRunner runner;
    private final Duration timeout;
    private final ExecutorService queue = Executors.newSingleThreadExecutor(
            r -> RealtimeScheduling.thread("hooks", r));
    private volatile ScriptUser user = ScriptUser.DAEMON;

    public HookRunner(CommandRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    /** Who runs the hooks queued from now on (lvs.cf's script_user). */
    public HookRunner runAs(ScriptUser user) {
        this.user = user;
        return this;
    }

    /** Queues the command (null or blank: nothing); returns when it has been queued. */
    public Future<?> submit(String key, String command) {
        if (command == null || command.isBlank()) return null;
        List<String> argv = user.command(Arrays.asList(command.trim().split("\\s+")));
        return queue.submit(() -> {
            CommandRunner.Result r = runner.run(argv, timeout);
            if (r.ok()) {
                LOG.fine(() -> key + " " + command + " finished");
            } else {
                LOG.warning(key + " " + command + " failed (status " + r.status() + "): " + r.output());
            }
        });
    }

    @Override
    public void close() {
        queue.shutdown();
    }
}
