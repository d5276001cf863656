package piranha.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import piranha.dataplane.DestinationStats;
import piranha.dataplane.ServiceKey;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfFiles;
import piranha.lvsd.Lvsd;
import piranha.lvsd.LvsdOptions;
import piranha.lvsd.backend.TableBackend;
import piranha.lvsd.table.Table;
import piranha.lvsd.table.TableOp;

/**
 * Reload of a large lvs.cf with one real server changed: the time from the reload request (what
 * SIGHUP triggers) to the change reaching the table, and how many nannies were restarted. lvsd
 * runs for real, with one nanny per real server checking a loopback listener (run it in a
 * private network namespace: bench/run does); the table is a recording one, so the figure is
 * lvsd's own work (read, parse, validate, plan, diff) and not a tool's.
 *
 * <p>Usage: {@code bench/run lvsd-reload [SERVICES SERVERS TIMEOUT_S RUNS]} (default 2000 20 30 7)
 */
public final class LvsdReloadBench {
    private LvsdReloadBench() {}

    /** Records each change with the time it arrived. */
    static final class RecordingTable implements TableBackend {
        record Arrival(long nanos, TableOp op) {}

        final List<Arrival> arrivals = new CopyOnWriteArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Future<Void> apply(List<TableOp> ops) {
            long now = System.nanoTime();
            ops.forEach(op -> arrivals.add(new Arrival(now, op)));
            return Future.succeededFuture();
        }

        @Override
        public Future<Table> read() {
            return Future.succeededFuture(Table.EMPTY);
        }

        @Override
        public Future<Map<ServiceKey, Map<String, DestinationStats>>> stats() {
            return Future.succeededFuture(Map.of());
        }

        @Override
        public Future<Void> close() {
            return Future.succeededFuture();
        }
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            // Vert.x's threads would keep a failed run alive: end it.
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int timeout = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 7;
        // Only warnings: 40,000 nannies announcing themselves would measure the terminal.
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        root.addHandler(new java.util.logging.ConsoleHandler());
        Vertx vertx = piranha.dataplane.DataplaneTransport.vertx(new VertxOptions());
        int port = await(vertx.createNetServer().connectHandler(s -> s.close()).listen(0, "0.0.0.0")).actualPort();
        Path dir = Files.createTempDirectory("lvsd-reload-bench");
        Path cfg = dir.resolve("lvs.cf");
        Files.writeString(cfg, generate(services, perService, port, timeout, 1));
        long t0 = System.nanoTime();
        LvsCfFiles.read(cfg, HostResolver.NUMERIC_ONLY);
        System.out.printf("file: %d virtual services x %d real servers (%d nannies), %.1f MB; one parse+validate %.0f ms%n",
                services, perService, services * perService, Files.size(cfg) / 1e6, (System.nanoTime() - t0) / 1e6);

        RecordingTable table = new RecordingTable();
        Lvsd lvsd = new Lvsd(vertx, new LvsdOptions(cfg, null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO),
                (v, kind, g, plan, test) -> table);
        long s0 = System.nanoTime();
        await(lvsd.start());
        System.out.printf("start-up: ready in %.1f s (nannies' first checks are spread over the %d s interval)%n",
                (System.nanoTime() - s0) / 1e9, timeout);
        waitForTable(lvsd, services * perService);

        List<Double> toTable = new ArrayList<>();
        List<Double> toDone = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        int restarted = 0;
        for (int run = 0; run < runs; run++) {
            int weight = 2 + run;
            Files.writeString(cfg, generate(services, perService, port, timeout, weight));
            int before = table.arrivals.size();
            long r0 = System.nanoTime();
            JsonObject result = await(lvsd.reload());
            long r1 = System.nanoTime();
            TableOp edit = null;
            long at = 0;
            for (int i = before; i < table.arrivals.size(); i++) {
                if (table.arrivals.get(i).op() instanceof TableOp.EditDestination) {
                    edit = table.arrivals.get(i).op();
                    at = table.arrivals.get(i).nanos();
                }
            }
            if (edit == null) {
                throw new IllegalStateException("the changed weight never reached the table: " + result);
            }
            toTable.add((at - r0) / 1e6);
            toDone.add((r1 - r0) / 1e6);
            cpu.add(result.getJsonObject("timings_ms").getDouble("cpu"));
            System.out.printf("  run %d: %s%n", run + 1, result.getJsonObject("timings_ms").encode());
            restarted += result.getJsonArray("changes").stream().filter(c -> c.toString().startsWith("restarted")).count();
        }
        Collections.sort(toTable);
        Collections.sort(toDone);
        Collections.sort(cpu);
        System.out.printf("reload with one real server's weight changed, %d runs:%n", runs);
        System.out.printf("  request -> change applied to the table: median %.0f ms, min %.0f ms, max %.0f ms%n",
                toTable.get(runs / 2), toTable.get(0), toTable.get(runs - 1));
        System.out.printf("  request -> reload finished:             median %.0f ms, max %.0f ms%n", toDone.get(runs / 2), toDone.get(runs - 1));
        System.out.printf("  CPU of lvsd's threads doing the reload:  median %.1f ms, max %.1f ms%n", cpu.get(runs / 2), cpu.get(runs - 1));
        System.out.printf("  nannies restarted over all runs: %d; table changes per reload: 1 (-e)%n", restarted);
        System.out.printf("  load average now: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());

        // One server's port changed: a new identity, so that nanny alone is replaced (the old one
        // stops and its destination leaves the table at once; the new one enters after its first check).
        // Each run moves the first server of another service, one that has been in the table all along.
        String current = generate(services, perService, port, timeout, 2 + runs - 1);
        List<Double> portToTable = new ArrayList<>();
        List<Double> portCpu = new ArrayList<>();
        long replaced = 0;
        for (int run = 0; run < runs; run++) {
            current = current.replaceFirst("serial_no = \\d+", "serial_no = " + (100 + run)).replaceFirst("(virtual svc" + (run + 1) + " \\{[^}]*?server rs0 \\{\\n         address = [0-9.]+\\n"
                    + "         port = )\\d+", "$1" + (port + 1));
            Files.writeString(cfg, current);
            int before = table.arrivals.size();
            long r0 = System.nanoTime();
            JsonObject r = await(lvsd.reload());
            long at = -1;
            for (int i = before; i < table.arrivals.size(); i++) {
                if (table.arrivals.get(i).op() instanceof TableOp.DeleteDestination) {
                    at = table.arrivals.get(i).nanos();
                }
            }
            if (at < 0) {
                throw new IllegalStateException("the old destination never left the table: " + r);
            }
            portToTable.add((at - r0) / 1e6);
            portCpu.add(r.getJsonObject("timings_ms").getDouble("cpu"));
            replaced += r.getJsonArray("changes").stream().filter(c -> c.toString().startsWith("added real server")).count();
            System.out.printf("  port run %d: %s %s%n", run + 1, r.getJsonObject("timings_ms").encode(), r.getJsonArray("changes"));
        }
        Collections.sort(portToTable);
        Collections.sort(portCpu);
        System.out.printf("reload with one real server's port changed, %d runs:%n", runs);
        System.out.printf("  request -> old destination removed from the table: median %.0f ms, min %.0f ms, max %.0f ms%n",
                portToTable.get(runs / 2), portToTable.get(0), portToTable.get(runs - 1));
        System.out.printf("  CPU of lvsd's threads doing the reload:  median %.1f ms, max %.1f ms%n", portCpu.get(runs / 2),
                portCpu.get(runs - 1));
        System.out.printf("  nannies replaced: %d in %d reloads%n", replaced, runs);
        System.out.printf("  load average now: %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        await(lvsd.shutdown());
        await(vertx.close());
    }

    private static void waitForTable(Lvsd lvsd, int servers) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            JsonObject st = await(lvsd.status());
            long up = st.getJsonArray("services").stream()
                    .flatMap(s -> ((JsonObject) s).getJsonArray("servers").stream())
                    .filter(x -> ((JsonObject) x).getBoolean("in_table")).count();
            if (up >= servers) {
                System.out.printf("table holds all %d real servers%n", up);
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the table never held every real server");
    }

    /**
     * All real servers at weight 1 except the first of the first service, at {@code firstWeight};
     * {@code serial_no} is {@code firstWeight} too, as the GUI bumps it with every write.
     */
    static String generate(int services, int perService, int port, int timeout, int firstWeight) {
        return generate("serial_no = " + firstWeight + "\nprimary = 198.51.100.11\nservice = lvs\nnetwork = nat\nbackend = userspace\n",
                "198.51.100.100 eth0:1", services, perService, port, timeout, firstWeight);
    }

    /**
     * {@code globals}, then services on {@code address} (an lvs.cf address with its device) from port
     * 1024, each real server a loopback address of its own on {@code port}, all at weight 1 but the
     * first of the first service, at {@code firstWeight} (also LvsdStartBench's file).
     */
    static String generate(String globals, String address, int services, int perService, int port, int timeout,
                           int firstWeight) {
        StringBuilder sb = new StringBuilder(services * perService * 110);
        sb.append(globals);
        for (int v = 0; v < services; v++) {
            sb.append("virtual svc").append(v).append(" {\n     active = 1\n     address = ").append(address).append("\n")
                    .append("     port = ").append(1024 + v).append("\n     scheduler = wlc\n     timeout = ").append(timeout)
                    .append("\n     reentry = 0\n");
            for (int s = 0; s < perService; s++) {
                int host = v * perService + s + 1;
                sb.append("     server rs").append(s).append(" {\n         address = 127.1.").append(host / 250).append('.')
                        .append(host % 250 + 1).append("\n         port = ").append(port)
                        .append("\n         active = 1\n         weight = ").append(v == 0 && s == 0 ? firstWeight : 1).append("\n     }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
}
