package piranha.dataplane;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs one virtual service from the command line, without lvs.cf: for trying the forwarder by hand
 * and for the benchmark. {@code dataplane --listen 127.0.0.1:8080 --real 127.0.0.1:8081 --real
 * 127.0.0.1:8082 [-s wlc] [-p SECS] [-u] [--event-loops N] [--max-conns N]}.
 */
public final class DataplaneMain {
    private static final String USAGE = String.join("\n",
            "usage: dataplane --listen VIP:PORT --real RIP:PORT[:WEIGHT] [--real ...] [options]",
            "  -s, --scheduler NAME   rr wrr lc wlc lblc lblcr dh sh sed nq (default wlc)",
            "  -p, --persistent SECS  persistence timeout (default 0: none)",
            "  -M, --pmask MASK       persistence netmask",
            "  -u, --udp              a UDP service (default TCP)",
            "      --sorry RIP:PORT   sorry server",
            "      --event-loops N    Vert.x event loops (default: number of CPUs)",
            "      --max-conns N      cap on concurrent connections (default 65536)",
            "      --stats-every SECS print ipvsadm-style stats periodically (default 0: never)");

    private DataplaneMain() {}

    public static void main(String[] args) throws Exception {
        Parsed p;
        try {
            p = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("dataplane: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Vertx vertx = DataplaneTransport.vertx(new VertxOptions().setEventLoopPoolSize(p.eventLoops));
        Dataplane dp = Dataplane.create(vertx, new DataplaneOptions().setMaxConnections(p.maxConns));
        ServiceKey key = p.service.key();
        try {
            dp.addService(p.service).await(10, TimeUnit.SECONDS);
            for (DestinationSpec d : p.reals) dp.addDestination(key, d).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("dataplane: " + e.getMessage());
            vertx.close();
            System.exit(1);
            return;
        }
        System.out.println("dataplane: " + key + " scheduler " + p.service.scheduler() + ", " + p.reals.size()
                + " destination(s), transport " + DataplaneTransport.name(vertx)
                + ", event loops " + p.eventLoops);
        if (p.statsEvery > 0) {
            vertx.setPeriodic(p.statsEvery * 1000L,
                    id -> dp.stats().onSuccess(s -> System.out.print(IpvsadmFormat.stats(s))));
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dp.close().await(5, TimeUnit.SECONDS);
                vertx.close().await(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // exiting anyway
            }
            done.countDown();
        }));
        done.await();
    }

    private static final class Parsed {
        ServiceSpec service;
        final List<DestinationSpec> reals = new ArrayList<>();
        int eventLoops = Runtime.getRuntime().availableProcessors();
        int maxConns = 65_536;
        int statsEvery;
    }

    private static Parsed parse(String[] args) {
        Parsed p = new Parsed();
        InetSocketAddress listen = null;
        String scheduler = "wlc";
        int persistent = 0;
        String pmask = null;
        boolean udp = false;
        List<String> reals = new ArrayList<>();
        String sorry = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--listen" -> listen = Addresses.parseSocketAddress(value(args, ++i, a));
                case "--real" -> reals.add(value(args, ++i, a));
                case "-s", "--scheduler" -> scheduler = value(args, ++i, a);
                case "-p", "--persistent" -> persistent = number(value(args, ++i, a), a);
                case "-M", "--pmask" -> pmask = value(args, ++i, a);
                case "-u", "--udp" -> udp = true;
                case "--sorry" -> sorry = value(args, ++i, a);
                case "--event-loops" -> p.eventLoops = number(value(args, ++i, a), a);
                case "--max-conns" -> p.maxConns = number(value(args, ++i, a), a);
                case "--stats-every" -> p.statsEvery = number(value(args, ++i, a), a);
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        if (listen == null) throw new IllegalArgumentException("--listen VIP:PORT is required");
        if (reals.isEmpty() && sorry == null) throw new IllegalArgumentException("at least one --real is required");
        if (p.eventLoops < 1) throw new IllegalArgumentException("--event-loops must be >= 1");
        if (p.maxConns < 1) throw new IllegalArgumentException("--max-conns must be >= 1");
        ServiceKey key = new ServiceKey(udp ? Protocol.UDP : Protocol.TCP, listen.getAddress(), listen.getPort());
        p.service = ServiceSpec.of(key, scheduler)
                .persistent(persistent, pmask == null ? null : Addresses.parseAddress(pmask));
        piranha.dataplane.scheduler.Schedulers.create(scheduler); // fail early on a bad name
        for (String r : reals) {
            String[] parts = r.split(":");
            int weight = 1;
            String addr = r;
            if (parts.length == 3) {
                weight = number(parts[2], "--real weight");
                addr = parts[0] + ":" + parts[1];
            }
            p.reals.add(DestinationSpec.nat(Addresses.parseSocketAddress(addr), weight));
        }
        if (sorry != null) p.reals.add(DestinationSpec.sorry(Addresses.parseSocketAddress(sorry)));
        return p;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException("option " + option + " needs a value");
        return args[i];
    }

    private static int number(String s, String option) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": not a number: '" + s + "'");
        }
    }
}
