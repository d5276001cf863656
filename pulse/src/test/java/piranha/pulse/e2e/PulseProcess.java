package piranha.pulse.e2e;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real pulse JVM inside a namespace, with its log file and status socket. */
final class PulseProcess implements AutoCloseable {
    final Process process;
    final Path log;
    final Path status;
    /** The lvs.cf it was started on. */
    final Path config;

    PulseProcess(String ns, Path dir, String name, Path config, Path lvsd, String... extra) throws IOException {
        this(ns, dir, name, config, lvsd, true, java.util.Map.of(), extra);
    }

    /** foreground false: without -n (syslog, pid file); env is added to the process's environment. */
    PulseProcess(String ns, Path dir, String name, Path config, Path lvsd, boolean foreground,
                 java.util.Map<String, String> env, String... extra) throws IOException {
        this.log = dir.resolve(name + ".log");
        this.status = dir.resolve(name + ".sock");
        this.config = config;
        List<String> argv = command(ns, config, status);
        argv.addAll(List.of("--lvsd=" + lvsd, "--lvsd-control-socket", dir.resolve(name + "-lvsd.sock").toString()));
        if (foreground) argv.add("-n");
        argv.addAll(List.of(extra));
        // `ip netns exec` execs java: the pid we hold is pulse's own
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        process = pb.start();
    }

    /** pulse in namespace ns, as bin/pulse starts it, on config and with that control socket. */
    static List<String> command(String ns, Path config, Path controlSocket) {
        List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms16m", "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")); // as bin/pulse
        // extra JVM options for diagnosis, e.g. -Xlog:safepoint:file=/tmp/sp-%p.log
        String extraJvm = System.getenv("PULSE_E2E_JAVA_OPTS");
        if (extraJvm != null && !extraJvm.isBlank()) argv.addAll(List.of(extraJvm.trim().split("\\s+")));
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "piranha.pulse.PulseMain",
                "-c", config.toString(), "--control-socket", controlSocket.toString()));
        return argv;
    }

    /** What a pulse command run to its end (in the foreground) printed, and its exit status. */
    record Ran(int status, String output) {}

    /** Runs pulse with extra options in namespace ns to its end (at most 60 s), logging to its output. */
    static Ran run(String ns, Path config, Path controlSocket, String... extra) throws IOException, InterruptedException {
        List<String> argv = command(ns, config, controlSocket);
        argv.add("-n");
        argv.addAll(List.of(extra));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("pulse " + String.join(" ", extra) + " did not end");
        }
        return new Ran(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    /** The status object, or null when pulse does not answer (yet). */
    JsonObject status() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(status));
            OutputStream out = Channels.newOutputStream(ch);
            out.write("{\"cmd\":\"status\"}\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String line = in.readLine();
            return line == null ? null : new JsonObject(line);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Each thread of the pulse JVM ("name/tid") with its real-time priority and scheduling policy
     * ({priority, policy}; policy 2 = SCHED_RR, 0 = ordinary), as the kernel has them now.
     */
    java.util.Map<String, int[]> threadScheduling() throws IOException {
        java.util.Map<String, int[]> byThread = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread has gone
                }
                String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                // after the name: state is field 3; rt_priority field 40 and policy field 41
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                byThread.put(comm + "/" + task.getFileName(),
                        new int[] {Integer.parseInt(f[37]), Integer.parseInt(f[38]) & 0xff}); // without SCHED_RESET_ON_FORK
            }
        }
        return byThread;
    }

    boolean active() {
        JsonObject s = status();
        return s != null && "active".equals(s.getString("state"));
    }

    /** Waits (bounded) until pulse has logged text: its lines are written by a thread of their own. */
    boolean logged(String text, long ms) throws InterruptedException {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() - end < 0) {
            if (logText().contains(text)) return true;
            Thread.sleep(20);
        }
        return logText().contains(text);
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
