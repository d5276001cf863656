package piranha.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import piranha.lvsd.Lvsd;
import piranha.lvsd.LvsdOptions;
import piranha.nanny.Nanny;

/**
 * http checks at scale, lvsd against keepalived's HTTP_GET: N real servers (127.1.x.y, one port,
 * one web server bound to the wildcard address) checked every INTERVAL seconds, either once each
 * or with half of them in a second service too. bench/run http-checks drives the modes:
 *
 * <pre>
 *   serve PORT INTERVAL_MS WARMUP_S MEASURE_S      the real servers: answers every request with 200,
 *                                                   counts connections per target and how regular they come
 *   lvsd PORT SERVERS SHARED INTERVAL_S WARMUP_S MEASURE_S   one lvsd checking them; prints CPU, RSS, lateness
 *   keepalived-conf PORT SERVERS SHARED INTERVAL_S FILE       keepalived.conf checking the same targets
 * </pre>
 */
public final class HttpChecksBench {
    static final int PER_SERVICE = 20;
    private static final long BUCKET_NANOS = 100_000; // 0.1 ms
    private static final int BUCKETS = 100_000;        // up to 10 s

    private HttpChecksBench() {}

    public static void main(String[] args) throws Exception {
        try {
            switch (args[0]) {
                case "serve" -> serve(Integer.parseInt(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]),
                        Integer.parseInt(args[4]));
                case "lvsd" -> lvsd(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]),
                        Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]));
                case "detection" -> detection(Integer.parseInt(args[1]), args.length > 2 && args[2].equals("keepalive"));
                case "keepalived-conf" -> Files.writeString(Path.of(args[5]), keepalivedConf(Integer.parseInt(args[1]),
                        Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]), Integer.parseInt(args[4])));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    /** The address of real server {@code i} (0-based): 127.1.x.y, as LvsdReloadBench numbers them. */
    static String address(int i) {
        int host = i + 1;
        return "127.1." + host / 250 + "." + (host % 250 + 1);
    }

    /** Services of 20 real servers; SHARED adds services holding the first half of them again. */
    static int[][] services(int servers, boolean shared) {
        int plain = (servers + PER_SERVICE - 1) / PER_SERVICE;
        int extra = shared ? (servers / 2 + PER_SERVICE - 1) / PER_SERVICE : 0;
        int[][] s = new int[plain + extra][];
        for (int v = 0; v < plain + extra; v++) {
            int first = (v < plain ? v : v - plain) * PER_SERVICE;
            int last = Math.min(v < plain ? servers : servers / 2, first + PER_SERVICE);
            s[v] = new int[last - first];
            for (int k = 0; k < s[v].length; k++) {
                s[v][k] = first + k;
            }
        }
        return s;
    }

    static String lvsCf(int port, int servers, boolean shared, int interval) {
        StringBuilder sb = new StringBuilder("serial_no = 1\nprimary = 198.51.100.11\nservice = lvs\nnetwork = nat\n");
        int[][] services = services(servers, shared);
        for (int v = 0; v < services.length; v++) {
            sb.append("virtual svc").append(v).append(" {\n active = 1\n address = 198.51.100.100 eth0:1\n port = ")
                    .append(1024 + v).append("\n scheduler = wlc\n timeout = ").append(interval)
                    .append("\n reentry = 0\n check = http\n http_path = /health\n");
            for (int i : services[v]) {
                sb.append(" server rs").append(i).append(" {\n  address = ").append(address(i)).append("\n  port = ")
                        .append(port).append("\n  active = 1\n }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    static String keepalivedConf(int port, int servers, boolean shared, int interval) {
        StringBuilder sb = new StringBuilder("global_defs {\n  router_id bench\n}\n");
        int[][] services = services(servers, shared);
        for (int v = 0; v < services.length; v++) {
            sb.append("virtual_server 198.51.100.100 ").append(1024 + v).append(" {\n  delay_loop ").append(interval)
                    .append("\n  lb_algo wlc\n  lb_kind NAT\n  protocol TCP\n");
            for (int i : services[v]) {
                sb.append("  real_server ").append(address(i)).append(' ').append(port).append(" {\n    weight 1\n")
                        .append("    HTTP_GET {\n      url {\n        path /health\n        status_code 200\n      }\n")
                        .append("      connect_timeout ").append(interval).append("\n      retry 0\n    }\n  }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ the real servers

    /**
     * Answers every request on 0.0.0.0:PORT with 200 and closes. For each target address it keeps
     * the last connection's time; after the warm-up every gap between two connections to the same
     * target is compared with the interval: how regularly the checker starts its checks, seen
     * from outside (the same measure for lvsd and keepalived).
     */
    static void serve(int port, long intervalMs, int warmup, int measure) throws IOException {
        byte[] response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);
        long[] last = new long[65536];
        long[] deviation = new long[BUCKETS];
        long start = System.nanoTime();
        long from = start + TimeUnit.SECONDS.toNanos(warmup);
        long to = from + TimeUnit.SECONDS.toNanos(measure);
        long connections = 0;
        long gaps = 0;
        try (Selector sel = Selector.open(); ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress("0.0.0.0", port), 16384);
            server.configureBlocking(false);
            server.register(sel, SelectionKey.OP_ACCEPT);
            System.out.println("serving on 0.0.0.0:" + port);
            ByteBuffer in = ByteBuffer.allocateDirect(4096);
            boolean reported = false;
            while (true) { // until killed: the checker's own measurement may end later
                if (!reported && System.nanoTime() >= to) {
                    reported = true;
                    report(connections, gaps, deviation, measure, intervalMs);
                }
                sel.select(100);
                long now = System.nanoTime();
                Iterator<SelectionKey> it = sel.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    try {
                        if (k.isAcceptable()) {
                            for (SocketChannel c; (c = server.accept()) != null; ) {
                                byte[] local = ((InetSocketAddress) c.getLocalAddress()).getAddress().getAddress();
                                int target = ((local[2] & 0xff) << 8) | (local[3] & 0xff);
                                if (now >= from) {
                                    connections++;
                                    if (last[target] >= from) {
                                        long d = Math.abs(now - last[target] - TimeUnit.MILLISECONDS.toNanos(intervalMs));
                                        deviation[(int) Math.min(BUCKETS - 1, d / BUCKET_NANOS)]++;
                                        gaps++;
                                    }
                                }
                                last[target] = now;
                                c.configureBlocking(false);
                                c.register(sel, SelectionKey.OP_READ);
                            }
                        } else if (k.isReadable()) {
                            SocketChannel c = (SocketChannel) k.channel();
                            in.clear();
                            int n = c.read(in);
                            if (n > 0) {
                                c.write(ByteBuffer.wrap(response));
                            }
                            k.cancel();
                            c.close();
                        }
                    } catch (IOException e) {
                        k.cancel();
                        k.channel().close();
                    }
                }
            }
        }
    }

    private static void report(long connections, long gaps, long[] deviation, int measure, long intervalMs) {
        double seconds = measure;
        System.out.printf("server: %d connections in %d s = %.0f per second (%.0f per interval)%n", connections, measure,
                connections / seconds, connections / seconds * intervalMs / 1000.0);
        System.out.printf("server: gap between two checks of one target minus the interval, p50 / p99 / max: %s (%d gaps)%n",
                percentiles(deviation, gaps), gaps);
        System.out.flush();
    }

    // ------------------------------------------------------------------ lvsd

    static void lvsd(int port, int servers, boolean shared, int interval, int warmup, int measure) throws Exception {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.SEVERE);
        root.addHandler(new java.util.logging.ConsoleHandler());
        Path dir = Files.createTempDirectory("http-checks-bench");
        Path cfg = dir.resolve("lvs.cf");
        Files.writeString(cfg, lvsCf(port, servers, shared, interval));
        AtomicLongArray lateness = new AtomicLongArray(BUCKETS);
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true)
                .setEventLoopPoolSize(Integer.getInteger("bench.eventLoops", 2)));
        LvsdReloadBench.RecordingTable table = new LvsdReloadBench.RecordingTable();
        Lvsd lvsd = new Lvsd(vertx, new LvsdOptions(cfg, null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO),
                (v, kind, g, plan, test) -> table);
        long t0 = System.nanoTime();
        await(lvsd.start());
        JsonObject st = await(lvsd.status());
        System.out.printf("lvsd: %d services, %d nannies on %s probes, ready in %.1f s%n", st.getJsonArray("services").size(),
                st.getJsonObject("probes").getInteger("nannies"), st.getJsonObject("probes").getInteger("distinct"),
                (System.nanoTime() - t0) / 1e9);
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // after start-up: first checks spread, JIT warm
        long[] before = checks(await(lvsd.status()));
        Nanny.observeLatenessOfAll(n -> lateness.incrementAndGet((int) Math.min(BUCKETS - 1, Math.max(0, n) / BUCKET_NANOS)));
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long w0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(measure));
        long cpu1 = os.getProcessCpuTime();
        long w1 = System.nanoTime();
        Nanny.observeLatenessOfAll(null);
        JsonObject end = await(lvsd.status());
        long[] after = checks(end);
        long up = end.getJsonArray("services").stream().flatMap(s -> ((JsonObject) s).getJsonArray("servers").stream())
                .filter(x -> "up".equals(((JsonObject) x).getString("health"))).count();
        long[] hist = new long[BUCKETS];
        long starts = 0;
        for (int i = 0; i < BUCKETS; i++) {
            hist[i] = lateness.get(i);
            starts += hist[i];
        }
        System.out.printf("lvsd: CPU %.1f %% of one core over %d s%n", 100.0 * (cpu1 - cpu0) / (w1 - w0), measure);
        System.out.printf("lvsd: RSS %s now, %s peak%n", status("VmRSS"), status("VmHWM"));
        System.out.printf("lvsd: nanny verdicts from %d checks (%d failed); %d of %d nannies up%n", after[0] - before[0],
                after[1] - before[1], up, after[2]);
        System.out.printf("lvsd: check-start lateness p50 / p99 / max: %s (%d check starts)%n", percentiles(hist, starts), starts);
        end.getJsonArray("services").stream().flatMap(s -> ((JsonObject) s).getJsonArray("servers").stream())
                .map(x -> ((JsonObject) x).getString("reason")).filter(r -> r != null && !r.startsWith("HTTP 200"))
                .map(r -> r.replaceAll("127\\.1\\.[0-9.]+:[0-9]+", "RS")).collect(java.util.stream.Collectors.groupingBy(r -> r,
                        java.util.stream.Collectors.counting())).entrySet().stream().limit(3)
                .forEach(e -> System.out.printf("lvsd: last check failed for %d: %s%n", e.getValue(), e.getKey()));
        await(lvsd.shutdown());
        await(vertx.close());
    }

    private static long[] checks(JsonObject st) {
        long checks = 0;
        long failures = 0;
        long nannies = 0;
        for (Object s : st.getJsonArray("services")) {
            for (Object r : ((JsonObject) s).getJsonArray("servers")) {
                checks += ((JsonObject) r).getLong("checks");
                failures += ((JsonObject) r).getLong("check_failures");
                nannies++;
            }
        }
        return new long[] {checks, failures, nannies};
    }

    private static String status(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return String.format("%.0f MB", Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0);
            }
        }
        return "?";
    }

    static String percentiles(long[] hist, long total) {
        if (total == 0) {
            return "- / - / -";
        }
        double[] at = {0.5, 0.99};
        StringBuilder sb = new StringBuilder();
        long seen = 0;
        int next = 0;
        int max = 0;
        for (int i = 0; i < hist.length; i++) {
            if (hist[i] > 0) {
                max = i;
            }
            seen += hist[i];
            while (next < at.length && seen >= Math.ceil(at[next] * total)) {
                sb.append(String.format("%.1f ms / ", (i + 1) * BUCKET_NANOS / 1e6));
                next++;
            }
        }
        return sb.append(String.format("%.1f ms", (max + 1) * BUCKET_NANOS / 1e6)).toString();
    }

    /**
     * One service, one real server, {@code check = http} expecting 200, timeout (and interval) 1 s:
     * the server switches to 500 at a random moment, and the time until lvsd's table loses it is
     * measured, {@code runs} times (the target is timeout + 100 ms).
     */
    /** With {@code keepAlive}, the check keeps its connection (http_keepalive = 1; the server keeps it open too). */
    static void detection(int runs, boolean keepAlive) throws Exception {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.concurrent.atomic.AtomicInteger code = new java.util.concurrent.atomic.AtomicInteger(200);
        Vertx vertx = Vertx.vertx();
        int port = await(vertx.createHttpServer().requestHandler(r -> r.response().setStatusCode(code.get()).end())
                .listen(0, "127.0.0.1")).actualPort();
        Path dir = Files.createTempDirectory("detection-bench");
        Path cfg = dir.resolve("lvs.cf");
        Files.writeString(cfg, "serial_no = 1\nprimary = 198.51.100.11\nnetwork = nat\nvirtual web {\n active = 1\n"
                + " address = 198.51.100.100 eth0:1\n port = 80\n timeout = 1\n rise = 1\n check = http\n http_status = 200\n"
                + (keepAlive ? " http_keepalive = 1\n" : "")
                + " server rs {\n  address = 127.0.0.1\n  port = " + port + "\n  active = 1\n }\n}\n");
        LvsdReloadBench.RecordingTable table = new LvsdReloadBench.RecordingTable();
        Lvsd lvsd = new Lvsd(vertx, new LvsdOptions(cfg, null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO),
                (v, kind, g, plan, test) -> table);
        await(lvsd.start());
        java.util.Random random = new java.util.Random();
        java.util.List<Double> ms = new java.util.ArrayList<>();
        int next = 0;
        for (int run = 0; run < runs; run++) {
            next = waitFor(table, piranha.lvsd.table.TableOp.AddDestination.class, next) + 1;
            Thread.sleep(1500 + random.nextInt(1000));
            int before = table.arrivals.size();
            long switched = System.nanoTime();
            code.set(500);
            next = waitFor(table, piranha.lvsd.table.TableOp.DeleteDestination.class, before);
            ms.add((table.arrivals.get(next).nanos() - switched) / 1e6);
            next++;
            code.set(200);
        }
        java.util.Collections.sort(ms);
        System.out.printf("detection%s: 500 -> out of the table, %d runs: median %.0f ms, p90 %.0f ms, max %.0f ms "
                + "(target: timeout 1 s + 100 ms = 1100 ms)%n", keepAlive ? " (http_keepalive = 1)" : "", runs, ms.get(runs / 2), ms.get(runs * 9 / 10), ms.get(runs - 1));
        System.out.printf("detection: load average now %s%n", Files.readString(Path.of("/proc/loadavg")).trim());
        await(lvsd.shutdown());
        await(vertx.close());
    }

    /** The index of the first operation of that type at or after arrival {@code from} (waiting for it). */
    private static int waitFor(LvsdReloadBench.RecordingTable table, Class<?> type, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (int i = Math.max(0, from); i < table.arrivals.size(); i++) {
                if (type.isInstance(table.arrivals.get(i).op())) {
                    return i;
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " within 30 s");
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
    }
}
