package piranha.pulse.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Stands in for lvsd in pulse's tests: implements the readiness contract (control socket, "wait-ready"),
 * prints "lvsd: stand-in reloading" on SIGHUP and answers {"cmd":"reload"} (changes: "stand-in reloaded N"),
 * takes lvsadm's drain/force-down/force-up/auto as lvsd does into lvsd.state beside its lvs.cf (printing
 * "lvsd: stand-in ACTION SERVICE SERVER (REASON) by WHO"), exits on SIGTERM, and exits when its parent pulse is gone (as lvsd with a parent-death signal would).
 * Env: STANDIN_READY_DELAY_MS delays the answer; STANDIN_NOT_READY answers ready:false.
 */
public final class StandInLvsd {
    private StandInLvsd() {}

    /**
     * Writes an executable lvsd at {@code file} that runs the stand-in in a JVM of its own with the tests'
     * class path; {@code prologue} comes before the {@code exec}: shell lines ending in a newline, or
     * variables for the stand-in ({@code "STANDIN_NOT_READY=1 "}).
     */
    public static Path launcher(Path file, String prologue) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + prologue + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
                + "' piranha.pulse.e2e.StandInLvsd \"$@\"\n");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    public static void main(String[] args) throws Exception {
        Path socket = null;
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("--control-socket")) socket = Path.of(args[i + 1]);
        Path stateFile = null;
        for (int i = 0; i < args.length - 1; i++) if (args[i].equals("-c")) stateFile = Path.of(args[i + 1]).toAbsolutePath().getParent().resolve("lvsd.state");
        io.vertx.core.json.JsonObject servers = new io.vertx.core.json.JsonObject();
        if (socket == null) {
            System.err.println("lvsd: --control-socket PATH required");
            System.exit(2);
        }
        System.out.println("lvsd: stand-in started, pid " + ProcessHandle.current().pid() + ": " + String.join(" ", args));
        // pulse forwards its SIGHUP: say so (the JVM's default would be to exit)
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> System.out.println("lvsd: stand-in reloading"));
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        Thread watch = new Thread(() -> {
            while (parent != null && parent.isAlive()) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
            System.exit(3);
        });
        watch.setDaemon(true);
        watch.start();
        long delay = Long.parseLong(System.getenv().getOrDefault("STANDIN_READY_DELAY_MS", "0"));
        boolean notReady = System.getenv("STANDIN_NOT_READY") != null;
        int reloads = 0;
        Files.deleteIfExists(socket);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            while (true) {
                SocketChannel ch = server.accept();
                try (ch; BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8)); OutputStream out = Channels.newOutputStream(ch)) {
                    String line = in.readLine();
                    if (line != null && line.contains("wait-ready")) {
                        Thread.sleep(delay);
                        String reply = notReady ? "{\"ready\":false,\"error\":\"stand-in told not to be ready\"}"
                                : "{\"ready\":true}";
                        out.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                    } else if (line != null && line.contains("\"reload\"")) {
                        System.out.println("lvsd: stand-in reloading");
                        out.write(("{\"reloaded\":true,\"changes\":[\"stand-in reloaded " + ++reloads + "\"]}\n")
                                .getBytes(StandardCharsets.UTF_8));
                    } else if (line != null && line.matches(".*\"cmd\":\"(drain|force-down|force-up|auto)\".*")) {
                        io.vertx.core.json.JsonObject req = new io.vertx.core.json.JsonObject(line);
                        String id = req.getString("service") + " -r " + req.getString("server");
                        System.out.println("lvsd: stand-in " + req.getString("cmd") + " " + req.getString("service") + " "
                                + req.getString("server") + " (" + req.getString("reason") + ") by " + req.getString("who"));
                        if (req.getString("cmd").equals("auto")) {
                            servers.remove(id);
                        } else {
                            servers.put(id, new io.vertx.core.json.JsonObject().put("action", req.getString("cmd"))
                                    .put("reason", req.getString("reason")).put("who", req.getString("who"))
                                    .put("when", java.time.Instant.now().toString()));
                        }
                        if (stateFile != null) {
                            Path tmp = stateFile.resolveSibling(".lvsd.state.standin.tmp");
                            Files.writeString(tmp, new io.vertx.core.json.JsonObject().put("servers", servers).encodePrettily() + "\n");
                            Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                        out.write("{\"ok\":true}\n".getBytes(StandardCharsets.UTF_8));
                    } else {
                        out.write("{\"error\":\"unknown command\"}\n".getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    System.err.println("lvsd: " + e.getMessage());
                }
            }
        }
    }
}
