package piranha.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfFiles;
import piranha.lvscf.model.Backend;
import piranha.lvsd.Lvsd;
import piranha.lvsd.LvsdOptions;

/**
 * lvsd's start-up, lvs.cf read to ready (the table programmed, every nanny past its first check),
 * for the same number of real servers laid out as many small services or as one large one: what
 * start-up costs per real server should not depend on how many share a service. lvsd runs for
 * real with one nanny per real server ({@code 127.1.x.y}, checked against one loopback listener)
 * and the table backend named: {@code recording} (lvsd's own work) or {@code userspace} (the data
 * plane, each service listening on 127.0.0.1). Once ready, the listener closes: every real server
 * fails its next check, and the time until the table holds none shows what a verdict costs when
 * each syncs a service of 100 real servers or of all of them. Run it in a private network
 * namespace: bench/run does.
 *
 * <p>Usage: {@code bench/run lvsd-start [SERVERS [TIMEOUT_S [BACKEND]]]} runs 100 services x
 * SERVERS/100 and 1 x SERVERS, each in a JVM of its own (default 10000 5 userspace); this program
 * runs one: {@code SERVICES PER_SERVICE TIMEOUT_S BACKEND DEADLINE_S}.
 */
public final class LvsdStartBench {
    private LvsdStartBench() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // Vert.x's threads would keep a failed run alive: end it.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String[] args) throws Exception {
        int services = Integer.parseInt(args[0]);
        int perService = Integer.parseInt(args[1]);
        int timeout = Integer.parseInt(args[2]);
        String backend = args[3];
        int deadline = Integer.parseInt(args[4]);
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        root.addHandler(new java.util.logging.ConsoleHandler());
        Vertx vertx = piranha.dataplane.DataplaneTransport.vertx(new VertxOptions());
        NetServer listener = vertx.createNetServer().connectHandler(s -> s.close());
        int port = LvsdReloadBench.await(listener.listen(0, "0.0.0.0")).actualPort();
        Path dir = Files.createTempDirectory("lvsd-start-bench");
        try {
            measure(vertx, listener, dir, services, perService, port, timeout, backend, deadline);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void measure(Vertx vertx, NetServer listener, Path dir, int services, int perService, int port, int timeout,
            String backend, int deadline) throws Exception {
        Path cfg = dir.resolve("lvs.cf");
        Files.writeString(cfg, generate(services, perService, port, timeout));
        long t0 = System.nanoTime();
        LvsCfFiles.read(cfg, HostResolver.NUMERIC_ONLY);
        double parseMs = (System.nanoTime() - t0) / 1e6;

        Lvsd.BackendFactory factory = switch (backend) {
            case "recording" -> (v, kind, g, plan, test) -> new LvsdReloadBench.RecordingTable();
            case "userspace" -> null;
            default -> throw new IllegalArgumentException("backend: recording or userspace, not " + backend);
        };
        LvsdOptions options = new LvsdOptions(cfg, factory == null ? Backend.USERSPACE : null, dir.resolve("lvsd.sock"), false, 0,
                Duration.ZERO);
        Lvsd lvsd = factory == null ? new Lvsd(vertx, options) : new Lvsd(vertx, options, factory);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long s0 = System.nanoTime();
        String shape = String.format("%d x %d", services, perService);
        try {
            lvsd.start().toCompletionStage().toCompletableFuture().get(deadline, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            System.out.printf("%-11s %-9s NOT READY after %d s (CPU %.1f s); parse+validate %.0f ms%n", shape, backend, deadline,
                    (os.getProcessCpuTime() - cpu0) / 1e9, parseMs);
            return;
        }
        double readyS = (System.nanoTime() - s0) / 1e9;
        double cpuS = (os.getProcessCpuTime() - cpu0) / 1e9;
        long inTable = inTable(LvsdReloadBench.await(lvsd.status()));
        System.out.printf("%-11s %-9s ready in %5.1f s (CPU %5.1f s, first checks spread over %d s), %d of %d in the table;"
                + " parse+validate %.0f ms; load %s%n", shape, backend, readyS, cpuS, timeout, inTable, services * perService, parseMs,
                Files.readString(Path.of("/proc/loadavg")).trim());
        // Every real server fails at once (the listener goes): a verdict each, every one syncing its service.
        LvsdReloadBench.await(listener.close());
        long f0 = System.nanoTime();
        long fcpu0 = os.getProcessCpuTime();
        long left = inTable;
        while (left > 0 && System.nanoTime() - f0 < TimeUnit.SECONDS.toNanos(deadline)) {
            Thread.sleep(250);
            left = inTable(LvsdReloadBench.await(lvsd.status()));
        }
        System.out.printf("%-11s %-9s all real servers down: table empty after %5.1f s (CPU %5.1f s)%s%n", shape, backend,
                (System.nanoTime() - f0) / 1e9, (os.getProcessCpuTime() - fcpu0) / 1e9, left > 0 ? ", " + left + " LEFT" : "");
        LvsdReloadBench.await(lvsd.shutdown());
    }

    private static long inTable(JsonObject status) {
        return status.getJsonArray("services").stream()
                .flatMap(s -> ((JsonObject) s).getJsonArray("servers").stream())
                .filter(x -> ((JsonObject) x).getBoolean("in_table")).count();
    }

    /** Services on 127.0.0.1 from port 1024, each real server a loopback address of its own on {@code port}. */
    static String generate(int services, int perService, int port, int timeout) {
        return LvsdReloadBench.generate("serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\nnetwork = nat\nbackend = userspace\n"
                + "lvsd_metrics = off\n", "127.0.0.1 lo:1", services, perService, port, timeout, 1);
    }
}
