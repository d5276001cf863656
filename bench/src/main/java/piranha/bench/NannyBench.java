package piranha.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import piranha.nanny.HealthState;
import piranha.nanny.Nanny;
import piranha.nanny.NannyConfig;
import piranha.nanny.NannySnapshot;
import piranha.nanny.check.CheckEnvironment;

/**
 * Scale benchmark: N nannies in one JVM, each checking its own loopback address (127.1.x.y) on one
 * port served by one listener socket bound to the wildcard address, every {@code interval} seconds.
 * Prints CPU share, RSS, heap, lateness of check starts and file descriptors before/after.
 *
 * <pre>
 *   NannyBench listen PORT                  the listener (run it as its own process)
 *   NannyBench run PORT [N] [INTERVAL_S] [DURATION_S] [WARMUP_S]
 * </pre>
 */
public final class NannyBench {
    private static final long BUCKET_NANOS = 100_000; // 0.1 ms
    private static final int BUCKETS = 100_000;        // up to 10 s

    /** Held so the level set on it is not lost when an unreferenced logger is collected. */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger("piranha");

    /** Event loops for the nannies (-Dbench.eventLoops); Vert.x's default is two per core. */
    static final int EVENT_LOOPS = Integer.getInteger("bench.eventLoops", 2);

    private NannyBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("listen")) {
            listen(Integer.parseInt(args[1]));
        } else if (args.length >= 1 && args[0].equals("timers")) {
            int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
            int interval = args.length > 2 ? Integer.parseInt(args[2]) : 2;
            int duration = args.length > 3 ? Integer.parseInt(args[3]) : 60;
            timers(n, interval, duration);
        } else if (args.length >= 2 && args[0].equals("run")) {
            int port = Integer.parseInt(args[1]);
            int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
            int interval = args.length > 3 ? Integer.parseInt(args[3]) : 2;
            int duration = args.length > 4 ? Integer.parseInt(args[4]) : 120;
            int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 20;
            run(port, n, interval, duration, warmup);
        } else {
            System.err.println("usage: NannyBench listen PORT | run PORT [N] [INTERVAL_S] [DURATION_S] [WARMUP_S]"
                    + " | timers [N] [INTERVAL_S] [DURATION_S]");
            System.exit(2);
        }
    }

    /** Accepts on 0.0.0.0:PORT (so every 127.x.y.z reaches it) and closes each connection at once. */
    static void listen(int port) throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress("0.0.0.0", port), 8192);
            System.out.println("listening on 0.0.0.0:" + port);
            // Several acceptors: on a busy machine one thread alone falls behind 5,000 connections/s.
            Thread[] acceptors = new Thread[4];
            for (int i = 0; i < acceptors.length; i++) {
                acceptors[i] = new Thread(() -> {
                    while (true) {
                        try (SocketChannel c = server.accept()) {
                            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        } catch (IOException e) {
                            return;
                        }
                    }
                }, "acceptor-" + i);
                acceptors[i].start();
            }
            for (Thread t : acceptors) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    static void run(int port, int n, int interval, int duration, int warmup) throws Exception {
        // Verdict lines of 10,000 nannies would measure the console, not the nannies.
        QUIET.setLevel(java.util.logging.Level.SEVERE);
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
        CheckEnvironment env = CheckEnvironment.create(vertx);
        // Warm up every event loop (each opens its selector on first use) before the fd baseline.
        List<Nanny> warm = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            warm.add(new Nanny(env, NannyConfig.builder("127.2.0." + (i + 1), port).timeout(1).build(), v -> { }));
        }
        Future.all(warm.stream().map(Nanny::start).toList()).await();
        Thread.sleep(1500);
        Future.all(warm.stream().map(Nanny::stop).toList()).await();
        Thread.sleep(2000);
        System.gc();
        int fdsBefore = openFds();

        AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
        LongAccumulator max = new LongAccumulator(Math::max, 0);
        AtomicLong samples = new AtomicLong();
        boolean[] measuring = {false};
        List<Nanny> nannies = new ArrayList<>(n);
        java.util.concurrent.ConcurrentHashMap<String, Long> downReasons = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            String address = "127.1." + (i / 250) + "." + (i % 250 + 1);
            NannyConfig c = NannyConfig.builder(address, port).vip("127.0.0.1").timeout(interval).reentry(0).build();
            Nanny.Options o = Nanny.Options.defaults()
                    .withFirstCheckDelay(Duration.ofNanos((long) i * interval * 1_000_000_000L / n))
                    .withLatenessObserver(late -> {
                        if (measuring[0]) {
                            long l = Math.max(0, late);
                            histogram.incrementAndGet((int) Math.min(BUCKETS - 1, l / BUCKET_NANOS));
                            max.accumulate(l);
                            samples.incrementAndGet();
                        }
                    });
            nannies.add(new Nanny(env, c, v -> {
                if (measuring[0] && v.state() != HealthState.UP) {
                    downReasons.merge(v.reason().replaceAll("127\\.1\\.[0-9.]+:[0-9]+", "RIP:PORT"), 1L, Long::sum);
                }
            }, o));
        }
        Future.all(nannies.stream().map(Nanny::start).toList()).await();
        System.out.printf("%d nannies on %d event loops started, interval %d s; warming up %d s%n", n, EVENT_LOOPS,
                interval, warmup);
        Thread.sleep(warmup * 1000L);

        long[] ticks0 = userSysTicks();
        long cpu0 = cpuNanos();
        long wall0 = System.nanoTime();
        long checks0 = nannies.stream().mapToLong(x -> x.snapshot().checks()).sum();
        long fails0 = nannies.stream().mapToLong(x -> x.snapshot().failures()).sum();
        measuring[0] = true;
        long peakRss = 0;
        long peakHeap = 0;
        for (int t = 0; t < duration; t++) {
            Thread.sleep(1000);
            peakRss = Math.max(peakRss, rssKb());
            peakHeap = Math.max(peakHeap, usedHeap());
        }
        measuring[0] = false;
        long cpu = cpuNanos() - cpu0;
        long[] ticks1 = userSysTicks();
        long userTicks = ticks1[0] - ticks0[0];
        long sysTicks = ticks1[1] - ticks0[1];
        long wall = System.nanoTime() - wall0;
        long checks = nannies.stream().mapToLong(x -> x.snapshot().checks()).sum() - checks0;
        long fails = nannies.stream().mapToLong(x -> x.snapshot().failures()).sum() - fails0;
        long up = nannies.stream().map(Nanny::snapshot).filter(s -> s.state() == HealthState.UP).count();
        System.gc();
        long heapAfterGc = usedHeap();

        Future.all(nannies.stream().map(Nanny::stop).toList()).await();
        Thread.sleep(Duration.ofSeconds(interval + 3).toMillis()); // in-flight checks end within their deadline
        int fdsAfter = openFds();

        java.util.Map<String, Long> reasons = new java.util.TreeMap<>();
        for (Nanny x : nannies) {
            NannySnapshot s = x.snapshot();
            if (s.failures() > 0 && s.lastReason() != null) {
                reasons.merge(s.lastReason().replaceAll("127\\.1\\.[0-9.]+:[0-9]+", "RIP:PORT"), 1L, Long::sum);
            }
        }
        System.out.printf("nannies              %d (%d up at the end)%n", n, up);
        reasons.forEach((r, c) -> System.out.printf("  last reason         %6d x %s%n", c, r));
        downReasons.forEach((r, c) -> System.out.printf("  down verdicts       %6d x %s%n", c, r));
        System.out.printf("measured             %.1f s after %d s warm-up%n", wall / 1e9, warmup);
        System.out.printf("checks               %d (expected ~%d), failed %d%n", checks, (long) n * duration / interval, fails);
        System.out.printf("CPU                  %.1f %% of one core (user %d %%, kernel %d %% of it)%n", 100.0 * cpu / wall,
                100 * userTicks / Math.max(1, userTicks + sysTicks), 100 * sysTicks / Math.max(1, userTicks + sysTicks));
        System.out.printf("RSS peak             %d MB%n", peakRss / 1024);
        System.out.printf("heap used peak       %d MB (after GC: %d MB, max %d MB)%n", peakHeap >> 20, heapAfterGc >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf("lateness p50/p99/max %.1f / %.1f / %.1f ms (%d check starts)%n",
                percentile(histogram, samples.get(), 0.50), percentile(histogram, samples.get(), 0.99),
                max.get() / 1e6, samples.get());
        System.out.printf("fds                  %d before, %d after stop: %d leaked%n", fdsBefore, fdsAfter,
                Math.max(0, fdsAfter - fdsBefore));
        vertx.close().await();
        System.exit(0);
    }

    /**
     * Control: the same number of timers on the same event loops and grid, doing nothing else. Its
     * lateness is what the machine's scheduler alone costs.
     */
    static void timers(int n, int interval, int duration) throws Exception {
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(EVENT_LOOPS));
        AtomicLongArray histogram = new AtomicLongArray(BUCKETS);
        LongAccumulator max = new LongAccumulator(Math::max, 0);
        AtomicLong samples = new AtomicLong();
        long intervalNanos = interval * 1_000_000_000L;
        long grid = 10_000_000;
        long end = System.nanoTime() + duration * 1_000_000_000L;
        for (int i = 0; i < n; i++) {
            long first = (System.nanoTime() + (long) i * intervalNanos / n + grid) / grid * grid;
            vertx.deployVerticle(new io.vertx.core.VerticleBase() {
                long planned = first;

                @Override
                public Future<?> start() {
                    arm();
                    return Future.succeededFuture();
                }

                void arm() {
                    long delay = Math.max(1, (planned - System.nanoTime() + 999_999) / 1_000_000);
                    vertx.setTimer(delay, id -> {
                        long late = Math.max(0, System.nanoTime() - planned);
                        histogram.incrementAndGet((int) Math.min(BUCKETS - 1, late / BUCKET_NANOS));
                        max.accumulate(late);
                        samples.incrementAndGet();
                        planned += intervalNanos;
                        if (System.nanoTime() < end) {
                            arm();
                        }
                    });
                }
            });
        }
        long cpu0 = cpuNanos();
        long wall0 = System.nanoTime();
        Thread.sleep(duration * 1000L);
        System.out.printf("timers               %d every %d s on %d event loops, %d s%n", n, interval, EVENT_LOOPS, duration);
        System.out.printf("CPU                  %.1f %% of one core%n", 100.0 * (cpuNanos() - cpu0) / (System.nanoTime() - wall0));
        System.out.printf("lateness p50/p99/max %.1f / %.1f / %.1f ms (%d timer firings)%n",
                percentile(histogram, samples.get(), 0.50), percentile(histogram, samples.get(), 0.99),
                max.get() / 1e6, samples.get());
        vertx.close().await();
        System.exit(0);
    }

    static double percentile(AtomicLongArray h, long total, double p) {
        long want = (long) Math.ceil(total * p);
        long seen = 0;
        for (int i = 0; i < h.length(); i++) {
            seen += h.get(i);
            if (seen >= want && want > 0) {
                return (i + 1) * BUCKET_NANOS / 1e6; // upper edge of the bucket
            }
        }
        return Double.NaN;
    }

    static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** utime and stime of this process, in clock ticks, from /proc/self/stat. */
    static long[] userSysTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
    }

    static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }
}
