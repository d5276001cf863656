package piranha.pulse.e2e;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away network: a bridge in its own namespace, two directors and a client, 198.51.100.0/24, no
 * route out. Names carry a random suffix; {@link #close} removes everything, also after a failure.
 */
final class Lab implements AutoCloseable {
    static final String D1_IP = "198.51.100.11";
    static final String D2_IP = "198.51.100.12";
    static final String CLI_IP = "198.51.100.31";
    static final String VIP = "198.51.100.100";
    static final String D1_MAC = "02:00:00:00:00:11";
    static final String D2_MAC = "02:00:00:00:00:12";

    final String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
    final String sw;
    final String d1;
    final String d2;
    final String cli;
    private final List<String> created = new ArrayList<>();

    Lab() throws IOException, InterruptedException {
        this("pt");
    }

    /** prefix: the start of every namespace's name, so each suite's are told apart. */
    Lab(String prefix) throws IOException, InterruptedException {
        sw = prefix + "sw-" + suffix;
        d1 = prefix + "d1-" + suffix;
        d2 = prefix + "d2-" + suffix;
        cli = prefix + "cl-" + suffix;
        try {
            for (String ns : List.of(sw, d1, d2, cli)) {
                sh("ip", "netns", "add", ns);
                created.add(ns);
                sh("ip", "-n", ns, "link", "set", "lo", "up");
                sh("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1");
            }
            sh("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
            sh("ip", "-n", sw, "link", "set", "br0", "up");
            attach(d1, "p1", D1_IP, D1_MAC);
            attach(d2, "p2", D2_IP, D2_MAC);
            attach(cli, "pc", CLI_IP, "02:00:00:00:00:31");
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private void attach(String ns, String port, String ip, String mac) throws IOException, InterruptedException {
        sh("ip", "-n", sw, "link", "add", port, "type", "veth", "peer", "name", "lan0", "netns", ns);
        sh("ip", "-n", sw, "link", "set", port, "master", "br0", "up");
        sh("ip", "-n", ns, "link", "set", "lan0", "address", mac, "up");
        sh("ip", "-n", ns, "addr", "add", ip + "/24", "dev", "lan0");
    }

    /** Runs a command, fails with its output when it fails. */
    static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", argv));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(String.join(" ", argv) + " failed: " + out);
        return out;
    }

    /** Like sh but returns the output whatever the status. */
    static String shAny(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        if (!p.waitFor(20, TimeUnit.SECONDS)) p.destroyForcibly();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    static String shAnyQuiet(String... argv) {
        try {
            return shAny(argv);
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    /** The client's neighbour entry for the VIP ("" when none). */
    String clientNeighbourMac() throws IOException, InterruptedException {
        String out = shAny("ip", "-n", cli, "neigh", "show", VIP, "dev", "lan0");
        int i = out.indexOf("lladdr ");
        return i < 0 ? "" : out.substring(i + 7).split("\\s+")[0];
    }

    /** Makes the client resolve the VIP (a TCP connect attempt; refused is fine). */
    void clientTouchVip() throws IOException, InterruptedException {
        shAny("ip", "netns", "exec", cli, "timeout", "1", "bash", "-c", "exec 3<>/dev/tcp/" + VIP + "/80", "");
    }

    boolean hasVip(String ns) throws IOException, InterruptedException {
        return shAny("ip", "-n", ns, "-4", "addr", "show", "dev", "lan0").contains(" " + VIP + "/");
    }

    interface LibC extends Library {
        LibC C = Native.load("c", LibC.class);

        int setns(int fd, int nstype) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    /** Runs task on a fresh thread that has entered namespace ns (setns affects only that thread). */
    static <T> T inNamespace(String ns, Callable<T> task) throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            Future<T> f = one.submit(() -> {
                int fd = LibC.C.open("/var/run/netns/" + ns, 0);
                try {
                    LibC.C.setns(fd, 0x40000000); // CLONE_NEWNET
                } finally {
                    LibC.C.close(fd);
                }
                return task.call();
            });
            return f.get(20, TimeUnit.SECONDS);
        } finally {
            // the thread now lives in another namespace: never reuse it
            one.shutdownNow();
        }
    }

    /** Stops every process still inside our namespaces (only ours live there), then deletes them. */
    @Override
    public void close() {
        for (String ns : created) {
            try {
                for (String pid : shAny("ip", "netns", "pids", ns).split("\\s+")) {
                    if (!pid.isBlank()) ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            } catch (IOException | InterruptedException | NumberFormatException e) {
                // keep removing the rest
            }
        }
        for (String ns : created) {
            try {
                shAny("ip", "netns", "del", ns);
            } catch (IOException | InterruptedException e) {
                // best effort
            }
        }
        created.clear();
    }
}
