package piranha.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfDocument;

/**
 * Parse + validate of a generated lvs.cf with SERVICES virtual services of SERVERS real servers
 * each (default 2,000 x 20). Prints the file size, the median / p90 / max time of RUNS timed runs
 * after WARMUP untimed ones, and the heap the parsed document retains.
 *
 * <p>Usage: {@code bench/run lvscf-parse [SERVICES SERVERS RUNS WARMUP]}
 */
public final class LvsCfParseBench {
    private LvsCfParseBench() {}

    public static void main(String[] args) {
        int services = arg(args, 0, 2000);
        int servers = arg(args, 1, 20);
        int runs = arg(args, 2, 15);
        int warmup = arg(args, 3, 5);
        String text = generate(services, servers);
        System.out.printf("file: %d virtual services x %d real servers, %d lines, %.1f MB%n",
                services, servers, text.split("\n", -1).length - 1, text.length() / 1e6);

        for (int i = 0; i < warmup; i++) {
            check(LvsCfDocument.parse("bench.cf", text, HostResolver.NUMERIC_ONLY), services);
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            LvsCfDocument doc = LvsCfDocument.parse("bench.cf", text, HostResolver.NUMERIC_ONLY);
            ms.add((System.nanoTime() - t0) / 1e6);
            check(doc, services);
        }
        Collections.sort(ms);
        System.out.printf("parse+validate: median %.1f ms, p90 %.1f ms, max %.1f ms (%d runs after %d warm-up)%n",
                ms.get(ms.size() / 2), ms.get((int) (ms.size() * 0.9)), ms.get(ms.size() - 1), runs, warmup);

        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        System.gc();
        long before = mem.getHeapMemoryUsage().getUsed();
        LvsCfDocument kept = LvsCfDocument.parse("bench.cf", text, HostResolver.NUMERIC_ONLY);
        System.gc();
        long after = mem.getHeapMemoryUsage().getUsed();
        System.out.printf("heap retained by one parsed document: %.1f MB (text itself %.1f MB as UTF-16)%n",
                (after - before) / 1e6, text.length() * 2 / 1e6);
        System.out.printf("heap max %.0f MB, used after run %.1f MB%n",
                mem.getHeapMemoryUsage().getMax() / 1e6, after / 1e6);
        check(kept, services);
    }

    private static void check(LvsCfDocument doc, int services) {
        if (doc.hasErrors() || doc.config().virtuals().size() != services) {
            throw new IllegalStateException("benchmark file did not parse cleanly: " + doc.errors());
        }
    }

    static String generate(int services, int servers) {
        StringBuilder sb = new StringBuilder(services * servers * 120);
        sb.append("serial_no = 1\nprimary = 198.51.100.11\nservice = lvs\nbackup_active = 1\nbackup = 198.51.100.12\n")
                .append("keepalive = 2\ndeadtime = 6\nnetwork = nat\nnat_router = 203.0.113.254 eth1:1\n");
        for (int v = 0; v < services; v++) {
            int port = 1024 + v;
            sb.append("virtual svc").append(v).append(" {\n")
                    .append("     active = 1\n")
                    .append("     address = 198.51.100.100 eth0:1\n")
                    .append("     port = ").append(port).append('\n')
                    .append("     send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n")
                    .append("     expect = \"HTTP\"\n")
                    .append("     scheduler = wlc\n")
                    .append("     protocol = tcp\n")
                    .append("     timeout = 6\n")
                    .append("     reentry = 15\n");
            for (int s = 0; s < servers; s++) {
                int host = v * servers + s;
                sb.append("     server rs").append(s).append(" {\n")
                        .append("         address = 10.").append((host >> 16) & 255).append('.').append((host >> 8) & 255)
                        .append('.').append(host & 255).append('\n')
                        .append("         active = 1\n")
                        .append("         weight = ").append(1 + s % 5).append('\n')
                        .append("     }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }
}
