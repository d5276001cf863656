package piranha.pulse.exec;

import java.io.IOException;
import java.io.InputStream;
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
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            return new Result(-1, "cannot run " + argv.get(0) + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close();
            // output of ip/ipvsadm/hooks is short; read it while waiting so a full pipe never blocks the child
            OutputSink sink = new OutputSink(p.getInputStream());
            sink.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(2, TimeUnit.SECONDS);
                return new Result(-1, argv.get(0) + " timed out after " + timeout.toMillis() + " ms, killed");
            }
            sink.join(1000);
            return new Result(p.exitValue(), sink.text());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }

    private static final class OutputSink extends Thread {
        private static final int LIMIT = 8192;
        private final InputStream in;
        private final StringBuilder text = new StringBuilder();

        OutputSink(InputStream in) {
            super("command-output");
            setDaemon(true);
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[1024];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    synchronized (text) {
                        if (text.length() < LIMIT) text.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException ignored) {
                // the child is gone; what was read is all there is
            }
        }

        String text() {
            synchronized (text) {
                return text.toString().strip();
            }
        }
    }
}
