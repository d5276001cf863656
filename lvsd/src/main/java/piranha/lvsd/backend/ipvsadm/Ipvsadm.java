package piranha.lvsd.backend.ipvsadm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the ipvsadm binary: arguments, optional standard input, a deadline, the output. */
public final class Ipvsadm {

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
        Process p = new ProcessBuilder(cmd).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        var out = drain(p.getInputStream());
        var err = drain(p.getErrorStream());
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(path + " " + String.join(" ", args) + ": no exit within " + timeout.toMillis() + " ms; killed");
            }
            return new Result(p.exitValue(), out.get(), err.get().strip());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + path);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("reading " + path + " output: " + e.getCause().getMessage());
        }
    }

    private static java.util.concurrent.CompletableFuture<String> drain(InputStream s) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (s) {
                return new String(s.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
