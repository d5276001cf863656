package piranha.nanny.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import piranha.daemon.ProcessRunner;
import piranha.nanny.HealthState;
import piranha.nanny.Verdict;
import piranha.nanny.check.ProgramRunner;

/**
 * Applies one nanny's verdicts with ipvsadm, for the standalone command ({@code --lvs}): the job
 * lvsd does for in-process nannies. Tracks whether the real server is in the table to choose
 * between add and edit, runs commands one after the other, and retries a failed command (Piranha
 * exited instead, which made lvsd shut the whole director down).
 */
public final class IpvsadmApplier {
    private static final Logger log = Logger.getLogger("piranha.nanny");
    static final int ATTEMPTS = 3;
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final ProgramRunner runner;
    private final IpvsadmCommands commands;
    private Future<Void> queue = Future.succeededFuture();
    private volatile boolean present;
    private volatile HealthState state = HealthState.DOWN;

    public IpvsadmApplier(Vertx vertx, ProgramRunner runner, IpvsadmCommands commands) {
        this.vertx = vertx;
        this.runner = runner;
        this.commands = commands;
    }

    /** Queues the table change for {@code v}; called on the nanny's context. */
    public Future<Void> apply(Verdict v) {
        List<String> argv;
        if (v.state() == HealthState.DOWN) {
            argv = present ? commands.delete() : null;
            present = false;
        } else {
            argv = present ? commands.edit(v.weight()) : commands.add(v.weight());
            present = true;
        }
        state = v.state();
        if (argv == null) {
            return queue;
        }
        queue = queue.transform(ignored -> runWithRetries(argv, 1));
        return queue;
    }

    private Future<Void> runWithRetries(List<String> argv, int attempt) {
        return runner.run(argv, COMMAND_TIMEOUT).transform(ar -> {
            boolean ok = ar.succeeded() && ar.result().status() == ProgramRunner.Outcome.Status.EXITED
                    && ar.result().exitCode() == 0;
            if (ok) {
                log.fine(() -> "ran " + String.join(" ", argv));
                return Future.succeededFuture();
            }
            log.warning(commands.path() + " command failed!");
            if (attempt >= ATTEMPTS) {
                log.severe("giving up on: " + String.join(" ", argv));
                return Future.succeededFuture();
            }
            Promise<Void> later = Promise.promise();
            vertx.setTimer(RETRY_DELAY.toMillis(), id -> runWithRetries(argv, attempt + 1).onComplete(later));
            return later.future();
        });
    }

    /**
     * On exit, as Piranha: delete the real server if this nanny put it in the table and it is not
     * quiesced. Blocking, for a shutdown hook.
     */
    public void removeOnExit() {
        if (!present || state != HealthState.UP) {
            return;
        }
        try {
            ProcessRunner.Spec spec = ProcessRunner.Spec.of(commands.delete(), COMMAND_TIMEOUT).withStderr(ProcessRunner.Stderr.MERGE);
            if (!ProcessRunner.shared().runAndWait(spec).ok()) {
                log.warning(commands.path() + " command failed!");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warning(commands.path() + " command failed!");
        }
    }
}
