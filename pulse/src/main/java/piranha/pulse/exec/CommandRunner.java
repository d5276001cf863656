package piranha.pulse.exec;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import piranha.daemon.ProcessRunner;

/**
 * Runs a program without a shell and waits for it, with a timeout (the daemon's
 * {@link ProcessRunner}: past the timeout the program and its descendants are killed). In test-start
 * mode (-t) it only logs what it would run.
 */
public class CommandRunner {
    private static final Logger LOG = Logger.getLogger("pulse");

    /** Exit status (-1: could not start or timed out) and combined output. */
    public record Result(int status, String output) {
        public boolean ok() {
            return status == 0;
        }
    }

    private static final int LIMIT = 8192;
    private final boolean testStart;

    public CommandRunner(boolean testStart) {
        this.testStart = testStart;
    }

    public boolean testStart() {
        return testStart;
    }

    public Result run(List<String> argv, Duration timeout) {
        if (testStart) {
            LOG.info(() -> "test-start: would run " + String.join(" ", argv));
            return new Result(0, "");
        }
        ProcessRunner.Result r;
        try {
            r = ProcessRunner.shared().runAndWait(ProcessRunner.Spec.of(argv, timeout)
                    .withStderr(ProcessRunner.Stderr.MERGE).withOutputCap(LIMIT));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
        return switch (r.status()) {
            case EXITED -> new Result(r.exitCode(), r.stdoutText().strip());
            case TIMED_OUT -> new Result(-1, argv.get(0) + " timed out after " + timeout.toMillis() + " ms, killed");
            case FAILED_TO_START -> new Result(-1, "cannot run " + argv.get(0) + ": " + r.error());
        };
    }
}
