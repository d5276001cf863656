package piranha.pulse.exec;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Runs a program without a shell and waits for it, with a timeout. In test-start mode (-t) it only logs
 * what it would run.
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
        // Output goes to a file read afterwards: no reader thread per command, and a child that writes
        // a lot never blocks on a full pipe.
        Path out;
        try {
            out = Files.createTempFile("pulse-cmd", ".out");
        } catch (IOException e) {
            return new Result(-1, "cannot create a temporary file: " + e.getMessage());
        }
        try {
            Process p;
            try {
                p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (IOException e) {
                return new Result(-1, "cannot run " + argv.get(0) + ": " + e.getMessage());
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                return new Result(-1, argv.get(0) + " timed out after " + timeout.toMillis() + " ms, killed");
            }
            return new Result(p.exitValue(), read(out));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } finally {
            try {
                Files.deleteIfExists(out);
            } catch (IOException ignored) {
                // a leftover temporary file is harmless
            }
        }
    }

    private static String read(Path out) {
        try (InputStream in = Files.newInputStream(out)) {
            return new String(in.readNBytes(LIMIT), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
