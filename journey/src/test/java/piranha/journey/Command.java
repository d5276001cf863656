package piranha.journey;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A command run to its end (bounded in time), as an operator's shell would run it, with its output. */
final class Command {
    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Command() {}

    /** A shell command line in the checkout, with the environment plus {@code env}. */
    static Result shell(String line, Map<String, String> env, Duration limit) throws IOException, InterruptedException {
        return run(List.of("bash", "-c", line), env, limit);
    }

    static Result run(List<String> argv, Map<String, String> env, Duration limit) throws IOException, InterruptedException {
        Path out = Files.createTempFile("journey-out", ".txt");
        Path err = Files.createTempFile("journey-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(argv)).directory(Checkout.ROOT.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                            Path.of("/dev/null").toFile()));
            clean(pb.environment());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(argv + " did not end within " + limit + ":\n" + Files.readString(out)
                        + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The test's own environment must not steer the commands (another demo's sockets, JVM options). */
    static void clean(Map<String, String> env) {
        env.remove("PIRANHA_PULSE_SOCKET");
        env.remove("PIRANHA_LVSD_SOCKET");
        env.remove("PIRANHA_DEMO_DIR");
        env.remove("JAVA_OPTS");
    }
}
