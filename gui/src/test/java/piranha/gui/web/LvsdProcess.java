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
 * The real lvsd ({@code piranha.lvsd.LvsdMain}, on the test class path) as a separate process with
 * the user-space backend and its own control socket, so the GUI talks to it exactly as on a director.
 */
final class LvsdProcess implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path log;

    private LvsdProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Starts lvsd on {@code lvsCf} and returns once it answers {@code wait-ready}. */
    static LvsdProcess start(Path lvsCf, Path socket, Path log) throws Exception {
        // The long test class path goes in an argument file: the process table keeps only the first
        // 4 KiB of a command line, and CURRENT LVS PROCESSES should find lvsd's main class in it.
        Path classPath = Files.writeString(log.resolveSibling("lvsd.classpath"),
                "-cp \"" + System.getProperty("java.class.path").replace("\\", "\\\\") + "\"\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC",
                "@" + classPath, "piranha.lvsd.LvsdMain", "-n", "-c", lvsCf.toString(),
                "--backend=userspace", "--control-socket", socket.toString(), "--reconcile-interval", "0");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        LvsdProcess lvsd = new LvsdProcess(p, socket, log);
        try {
            lvsd.awaitReady(Duration.ofSeconds(60));
        } catch (Exception | AssertionError e) {
            lvsd.close();
            throw e;
        }
        return lvsd;
    }

    private void awaitReady(Duration within) throws Exception {
        Instant end = Instant.now().plus(within);
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("lvsd exited with " + process.exitValue() + ":\n" + output());
            }
            try {
                // The socket file appears at bind(), a moment before listen(): a refusal means "starting".
                if (Boolean.TRUE.equals(ControlClient.call(socket, new JsonObject().put("cmd", "wait-ready"), within).getValue("ready"))) {
                    return;
                }
            } catch (IOException starting) {
                // retried below
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("lvsd not ready within " + within + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    long pid() {
        return process.pid();
    }

    JsonObject status() throws IOException {
        return ControlClient.call(socket, new JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
    }

    /** The status entry of one real server of one service, or null. */
    JsonObject server(String service, String endpoint) throws IOException {
        for (Object s : status().getJsonArray("services")) {
            JsonObject svc = (JsonObject) s;
            if (svc.getString("name").equals(service)) {
                for (Object r : svc.getJsonArray("servers")) {
                    JsonObject rs = (JsonObject) r;
                    if ((rs.getString("address") + ":" + rs.getValue("port")).equals(endpoint)) {
                        return rs;
                    }
                }
            }
        }
        return null;
    }

    String output() throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** SIGTERM (lvsd removes what it programmed and exits 0), then SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
