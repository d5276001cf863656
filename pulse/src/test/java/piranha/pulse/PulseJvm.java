package piranha.pulse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** A pulse JVM of this build for the tests that run it as a process, and what they read of it. */
final class PulseJvm {
    private PulseJvm() {}

    /** pulse with these arguments, with the footprint the launcher gives it, its output in log. */
    static Process start(Path log, String... args) throws IOException {
        return start(List.of(), log, args);
    }

    /** The same, run through {@code wrapper} (e.g. taskset and its CPU list). */
    static Process start(List<String> wrapper, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "piranha.pulse.PulseMain"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * A standby pulse on 127.0.0.1 whose partner, the primary on 127.0.0.2, the test plays on heartbeat
     * port {@code port}: one service on a random 127/8 VIP, the stand-in lvsd, lvs.cf and the control
     * sockets in dir, pulse's output in dir/pulse.log; started through {@code wrapper} (or none).
     */
    static Process startStandby(List<String> wrapper, Path dir, int port, String keepalive, String deadtime)
            throws IOException {
        Path lvsd = dir.resolve("lvsd");
        piranha.pulse.e2e.StandInLvsd.launcher(lvsd, "");
        java.util.concurrent.ThreadLocalRandom r = java.util.concurrent.ThreadLocalRandom.current();
        String vip = "127." + r.nextInt(64, 250) + "." + r.nextInt(1, 250) + "." + r.nextInt(1, 250);
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, String.join("\n", "serial_no = 1", "primary = 127.0.0.2", "backup = 127.0.0.1",
                "service = lvs", "backup_active = 1", "heartbeat_port = " + port, "keepalive = " + keepalive,
                "deadtime = " + deadtime, "network = nat", "virtual web {", "     active = 1", "     address = " + vip + " lo",
                "     port = 80", "     server rs1 {", "         address = 127.0.0.1", "         port = 1",
                "         active = 1", "     }", "}", ""));
        return start(wrapper, dir.resolve("pulse.log"), "-n", "-c", cf.toString(), "--lvsd=" + lvsd,
                "--control-socket", dir.resolve("pulse.sock").toString(),
                "--lvsd-control-socket", dir.resolve("lvsd.sock").toString());
    }

    /** pulse's status on its control socket; null while it does not answer. */
    static io.vertx.core.json.JsonObject status(Path controlSocket) {
        try {
            return piranha.daemon.ControlClient.call(controlSocket,
                    new io.vertx.core.json.JsonObject().put("cmd", "status"), Duration.ofSeconds(10));
        } catch (IOException e) {
            return null;
        }
    }

    /** One string field of that status; null while pulse does not answer. */
    static String field(Path controlSocket, String name) {
        io.vertx.core.json.JsonObject s = status(controlSocket);
        return s == null ? null : s.getString(name);
    }

    /** What pulse logged so far ("" before it wrote anything). */
    static String text(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    /** Whether condition holds within limit, asked every 50 ms. */
    static boolean waitFor(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - end < 0) {
            if (condition.getAsBoolean()) return true;
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
