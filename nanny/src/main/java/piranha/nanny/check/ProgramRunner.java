package piranha.nanny.check;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import piranha.daemon.ProcessRunner;

/**
 * Runs an external program (check program, load command, ipvsadm) for a nanny, without blocking
 * its event loop: the daemon's {@link ProcessRunner} runs it under the deadline (past it the
 * program and its descendants are killed), and the outcome comes back on the caller's context.
 * stdin is /dev/null and stderr is discarded, as Piranha.
 */
public final class ProgramRunner {
    /** stdout kept per run; the rest is read and dropped so the program never blocks on a full pipe. */
    public static final int MAX_OUTPUT_BYTES = ProcessRunner.DEFAULT_OUTPUT_CAP;

    private final Vertx vertx;

    public ProgramRunner(Vertx vertx) {
        this.vertx = vertx;
    }

    /** How a run ended. exitCode is -1 when the program could not start or was killed. */
    public record Outcome(Status status, int exitCode, byte[] stdout, String error) {
        public enum Status { EXITED, TIMED_OUT, FAILED_TO_START }
    }

    public Future<Outcome> run(List<String> argv, Duration timeout) {
        ProcessRunner.Spec spec = ProcessRunner.Spec.of(argv, timeout).withOutputCap(MAX_OUTPUT_BYTES);
        return Future.fromCompletionStage(ProcessRunner.shared().run(spec), vertx.getOrCreateContext()).map(r -> switch (r.status()) {
            case EXITED -> new Outcome(Outcome.Status.EXITED, r.exitCode(), r.stdout(), null);
            case TIMED_OUT -> new Outcome(Outcome.Status.TIMED_OUT, -1, new byte[0], null);
            case FAILED_TO_START -> new Outcome(Outcome.Status.FAILED_TO_START, -1, new byte[0], r.error());
        });
    }
}
