package piranha.gui.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;

/**
 * The real pulse ({@code piranha.pulse.PulseMain}, on the test class path) as a separate process in
 * test mode ({@code -t}: it logs the commands it would run and runs none, and starts no lvsd of its
 * own), with its own control socket and lvsd's: it reloads lvsd through that socket, as on a director.
 */
final class PulseProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path log;

    private PulseProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Starts pulse on {@code lvsCf} and returns once its status says {@code state} (active or standby). */
    static PulseProcess start(Path lvsCf, Path socket, Path lvsdSocket, Path log, String state) throws Exception {
        Path classPath = Files.writeString(log.resolveSibling("pulse.classpath"),
                "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "@" + classPath, "piranha.pulse.PulseMain", "-n", "-t",
                "-c", lvsCf.toString(), "--control-socket", socket.toString(), "--lvsd-control-socket", lvsdSocket.toString(),
                "--metrics", "off");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PulseProcess pulse = new PulseProcess(p, socket, log);
        try {
            pulse.await(state, Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            pulse.close();
            throw e;
        }
        return pulse;
    }

    private void await(String state, Duration within) throws Exception {
        Instant end = Instant.now().plus(within);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("pulse exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                if (state.equals(status().getValue("state"))) {
                    return;
                }
            } catch (IOException starting) {
                // no socket yet: asked again below
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("pulse not " + state + " within " + within + ":\n" + output());
            }
            Thread.sleep(200);
        }
    }

    JsonObject status() throws IOException {
        return ControlClient.call(socket, new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM, then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
