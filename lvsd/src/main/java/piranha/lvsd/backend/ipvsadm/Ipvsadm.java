package piranha.lvsd.backend.ipvsadm;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import piranha.daemon.ProcessRunner;

/** Runs the ipvsadm binary: arguments, optional standard input, a deadline, the output. */
public final class Ipvsadm {
    /** Enough for {@code ipvsadm -S -n} of a table far larger than lvs.cf can declare. */
    private static final int MAX_OUTPUT = 256 * 1024 * 1024;

    /** What one run printed and how it ended. */
    public record Result(int exit, String stdout, String stderr) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private final String path;
    private final Duration timeout;

    public Ipvsadm(String path, Duration timeout) {
        this.path = path;
        this.timeout = timeout;
    }

    public String path() {
        return path;
    }

    /** Blocks the calling thread: call from a worker, never an event loop. */
    public Result run(List<String> args, String stdin) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(path);
        cmd.addAll(args);
        ProcessRunner.Spec spec = ProcessRunner.Spec.of(cmd, timeout).withStdin(stdin)
                .withStderr(ProcessRunner.Stderr.CAPTURE).withOutputCap(MAX_OUTPUT);
        ProcessRunner.Result r;
        try {
            r = ProcessRunner.shared().runAndWait(spec);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + path);
        }
        return switch (r.status()) {
            case FAILED_TO_START -> throw new IOException(r.error());
            case TIMED_OUT -> throw new IOException(path + " " + String.join(" ", args) + ": no exit within "
                    + timeout.toMillis() + " ms; killed");
            case EXITED -> {
                if (r.truncated()) {
                    throw new IOException(path + " " + String.join(" ", args) + ": more than " + MAX_OUTPUT + " bytes of output");
                }
                yield new Result(r.exitCode(), r.stdoutText(), r.stderrText().strip());
            }
        };
    }
}
