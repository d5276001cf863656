package piranha.nanny.check;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;

/**
 * Runs an external program (check program, load command, ipvsadm) without a shell and without
 * blocking the event loop: start and the stdout drain run on worker threads, the exit is awaited
 * through {@link Process#onExit()}, and a Vert.x timer enforces the deadline by killing the program
 * and every descendant it has at that moment. stdin is /dev/null and stderr is discarded, as Piranha.
 */
public final class ProgramRunner {
    /** stdout kept per run; the rest is read and dropped so the program never blocks on a full pipe. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private final Vertx vertx;

    public ProgramRunner(Vertx vertx) {
        this.vertx = vertx;
    }

    /** How a run ended. exitCode is -1 when the program could not start or was killed. */
    public record Outcome(Status status, int exitCode, byte[] stdout, String error) {
        public enum Status { EXITED, TIMED_OUT, FAILED_TO_START }
    }

    public Future<Outcome> run(List<String> argv, Duration timeout) {
        Context context = vertx.getOrCreateContext();
        Promise<Outcome> result = Promise.promise();
        vertx.executeBlocking(() -> new ProcessBuilder(argv)
                        .redirectInput(new File("/dev/null"))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start(), false)
                .onComplete(started -> {
                    if (started.failed()) {
                        result.tryComplete(new Outcome(Outcome.Status.FAILED_TO_START, -1, new byte[0],
                                describe(started.cause())));
                        return;
                    }
                    Process process = started.result();
                    long timer = vertx.setTimer(timeout.toMillis(), id -> {
                        if (result.tryComplete(new Outcome(Outcome.Status.TIMED_OUT, -1, new byte[0], null))) {
                            killTree(process);
                        }
                    });
                    Future<byte[]> out = vertx.executeBlocking(() -> drain(process.getInputStream()), false);
                    Future<Process> exit = Future.fromCompletionStage(process.onExit(), context);
                    Future.all(out, exit).onComplete(done -> {
                        vertx.cancelTimer(timer);
                        if (done.succeeded()) {
                            result.tryComplete(new Outcome(Outcome.Status.EXITED, process.exitValue(), out.result(), null));
                        } else {
                            killTree(process);
                            result.tryComplete(new Outcome(Outcome.Status.FAILED_TO_START, -1, new byte[0],
                                    describe(done.cause())));
                        }
                    });
                });
        return result.future();
    }

    /**
     * Kills the program and the descendants it has now. The list is taken before the program dies,
     * because once it is gone its children are re-parented and no longer its descendants.
     */
    public static void killTree(Process process) {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static byte[] drain(InputStream in) throws IOException {
        try (in) {
            byte[] kept = new byte[MAX_OUTPUT_BYTES];
            byte[] scratch = new byte[8192];
            int len = 0;
            for (int n; (n = in.read(scratch)) >= 0; ) {
                int take = Math.min(n, MAX_OUTPUT_BYTES - len);
                System.arraycopy(scratch, 0, kept, len, take);
                len += take;
            }
            byte[] out = new byte[len];
            System.arraycopy(kept, 0, out, 0, len);
            return out;
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
