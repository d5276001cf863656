package piranha.lvsd.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording stand-in for ipvsadm: keeps "the kernel's table" in a file (IPVSADM_STATE, in
 * ipvsadm's save format), logs every invocation to IPVSADM_LOG (one line; {@code -R} batches add
 * one {@code -R| } line per rule), prints {@code -S -n} and {@code -L -n} like the real tool, and
 * fails like it on a missing or duplicate service or destination. A regular expression in
 * IPVSADM_STATE.fail (or IPVSADM_FAIL) makes matching invocations fail (retry tests).
 *
 * <p>What ipvsadm 1.31 on a 6.1 kernel does, and this copies: errors exit 255 with libipvs's
 * message ({@code Service not defined} for a destination of a missing service); {@code -R} goes on
 * after a failed line and exits with the status of its last line; {@code -S} and {@code -L} list
 * services sorted by firewall mark, protocol, address and port, and destinations by address and
 * port; a bare {@code -p} is 360 s; a 255.255.255.255 mask is not shown; a real server given
 * without a port gets the service's port (0 for a firewall mark); {@code -i} destinations are saved
 * with {@code --tun-type ipip}; unknown options print ipvsadm's hint and exit 255; the sync
 * daemons (one master, one backup, both at once allowed) refuse a second start ({@code Daemon has
 * already run}), a stop of one not running ({@code No daemon is running}) and a start without an
 * interface ({@code No such device}), and {@code -L --daemon} lists them.
 */
public final class FakeIpvsadm {

    static final class Svc {
        String sched = "wlc";
        int persistent;
        String mask;
        final Map<String, String[]> dests = new LinkedHashMap<>(); // rip -> {method, weight}
    }

    /** The schedulers of the kernel's ip_vs_*.ko modules. */
    private static final java.util.Set<String> SCHEDULERS = java.util.Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
            "sed", "nq", "fo", "ovf", "mh", "twos");

    private final Map<String, Svc> table = new LinkedHashMap<>();
    private int[] timeouts = {900, 120, 300};
    /** The kernel's sync daemons: role (master, backup) -> {mcast interface, syncid}. */
    private final Map<String, String[]> daemons = new java.util.TreeMap<>(Comparator.reverseOrder());
    private final PrintStream out;
    private final PrintStream err;

    FakeIpvsadm(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) throws IOException {
        Path state = Path.of(env("IPVSADM_STATE", "ipvsadm.state"));
        Path log = Path.of(env("IPVSADM_LOG", "ipvsadm.log"));
        FakeIpvsadm f = new FakeIpvsadm(System.out, System.err);
        f.load(state);
        String stdin = args.length > 0 && args[0].equals("-R") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : null;
        StringBuilder logged = new StringBuilder(String.join(" ", args)).append('\n');
        if (stdin != null) {
            for (String l : stdin.split("\n")) {
                if (!l.isBlank()) {
                    logged.append("-R| ").append(l.strip()).append('\n');
                }
            }
        }
        Files.writeString(log, logged, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Path failFile = Path.of(state + ".fail");
        String fail = Files.exists(failFile) ? Files.readString(failFile).strip() : System.getenv("IPVSADM_FAIL");
        if (fail != null && !fail.isEmpty() && String.join(" ", args).matches(fail)) {
            System.err.println("injected failure");
            System.exit(1);
        }
        int rc = f.run(args, stdin);
        f.save(state);
        System.out.flush();
        System.exit(rc);
    }

    private static String env(String k, String d) {
        String v = System.getenv(k);
        return v == null || v.isEmpty() ? d : v;
    }

    int run(String[] a, String stdin) {
        if (a.length == 0) {
            return list(false);
        }
        try {
            if (a[0].matches("-[Ll]n?c?|-n[Ll]c?|--list")) {
                if (Arrays.asList(a).contains("--daemon")) {
                    return listDaemons();
                }
                return a[0].endsWith("c") || Arrays.asList(a).contains("-c") ? connections() : list(Arrays.asList(a).contains("--timeout"));
            }
            switch (a[0]) {
                case "-R", "--restore" -> {
                    // like ipvsadm: a failed line is reported and the batch goes on; the exit
                    // status is that of the last line
                    int rc = 0;
                    for (String l : stdin.split("\n")) {
                        if (!l.isBlank()) {
                            rc = run(l.strip().split("\\s+"), null);
                        }
                    }
                    return rc;
                }
                case "-S", "--save" -> {
                    save(out);
                    return 0;
                }
                default -> {
                    return command(a);
                }
            }
        } catch (RuntimeException e) {
            err.println("Try `ipvsadm -h' or 'ipvsadm --help' for more information.");
            return 255;
        }
    }

    private int connections() {
        out.println("IPVS connection entries");
        out.println("pro expire state       source             virtual            destination");
        return 0;
    }

    private int command(String[] a) {
        String op = a[0];
        String svc = null;
        String rip = null;
        String method = "-g";
        String weight = "1";
        String sched = "wlc";
        int persistent = 0;
        String mask = null;
        String mcast = null;
        String syncid = "0";
        for (int i = 1; i < a.length; i++) {
            switch (a[i]) {
                case "-t", "-u", "-f" -> svc = a[i] + " " + a[++i];
                case "-r" -> rip = a[++i];
                case "-m", "-g", "-i" -> method = a[i];
                case "--tun-type" -> i++;
                case "-w" -> weight = a[++i];
                case "-s" -> sched = a[++i];
                case "-p" -> persistent = i + 1 < a.length && a[i + 1].matches("\\d+") ? Integer.parseInt(a[++i]) : 360;
                case "-M" -> mask = a[++i].equals("255.255.255.255") ? null : a[i];
                case "--mcast-interface" -> mcast = a[++i];
                case "--syncid" -> syncid = a[++i];
                default -> {
                    if (!op.equals("--set") && !op.startsWith("--start") && !op.startsWith("--stop")) {
                        throw new IllegalArgumentException("unexpected argument " + a[i]);
                    }
                }
            }
        }
        switch (op) {
            case "-A" -> {
                if (table.containsKey(svc)) {
                    return fail("Service already exists");
                }
                if (!SCHEDULERS.contains(sched)) {
                    return fail("Scheduler or persistence engine not found");
                }
                Svc s = new Svc();
                s.sched = sched;
                s.persistent = persistent;
                s.mask = persistent > 0 ? mask : null;
                table.put(svc, s);
            }
            case "-E" -> {
                Svc s = table.get(svc);
                if (s == null) {
                    return fail("No such service");
                }
                if (!SCHEDULERS.contains(sched)) {
                    return fail("Scheduler or persistence engine not found");
                }
                s.sched = sched;
                s.persistent = persistent;
                s.mask = persistent > 0 ? mask : null;
            }
            case "-D" -> {
                if (table.remove(svc) == null) {
                    return fail("No such service");
                }
            }
            case "-a", "-e", "-d" -> {
                Svc s = table.get(svc);
                if (s == null) {
                    return fail("Service not defined");
                }
                if (rip != null && !rip.contains(":")) {
                    rip = rip + ":" + (svc.startsWith("-f") ? "0" : svc.substring(svc.lastIndexOf(':') + 1));
                }
                boolean has = s.dests.containsKey(rip);
                if (op.equals("-a") && has) {
                    return fail("Destination already exists");
                }
                if (!op.equals("-a") && !has) {
                    return fail("No such destination");
                }
                if (op.equals("-d")) {
                    s.dests.remove(rip);
                } else {
                    s.dests.put(rip, new String[] {method, weight});
                }
            }
            case "-C", "--clear" -> table.clear();
            case "--set" -> {
                for (int i = 0; i < 3; i++) {
                    int v = Integer.parseInt(a[1 + i]);
                    if (v != 0) {
                        timeouts[i] = v;
                    }
                }
            }
            case "--start-daemon" -> {
                // the kernel checks the interface first; without one, ipvsadm sends an empty name
                if (mcast == null) {
                    return fail("No such device");
                }
                if (daemons.containsKey(a[1])) {
                    return fail("Daemon has already run");
                }
                daemons.put(a[1], new String[] {mcast, syncid});
            }
            case "--stop-daemon" -> {
                if (daemons.remove(a[1]) == null) {
                    return fail("No daemon is running");
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + op);
        }
        return 0;
    }

    /** {@code -L --daemon}: master before backup, as the kernel lists them. */
    private int listDaemons() {
        daemons.forEach((role, d) -> out.printf("%s sync daemon (mcast=%s, syncid=%s, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)%n",
                role, d[0], d[1]));
        return 0;
    }

    private int fail(String message) {
        err.println(message);
        return 255;
    }

    /** ipvsadm's order: firewall mark, protocol (TCP before UDP), address, port. */
    private static final Comparator<String> SERVICES = Comparator.<String>comparingLong(k -> k.startsWith("-f ") ? Long.parseLong(k.substring(3)) : 0)
            .thenComparing(k -> k.startsWith("-u ") ? 17 : 6)
            .thenComparing(k -> k.startsWith("-f ") ? 0 : endpoint(k.substring(3)));

    /** An {@code IP:PORT} as a number that sorts like the kernel's address, then port. */
    private static long endpoint(String ipPort) {
        int colon = ipPort.lastIndexOf(':');
        long v = 0;
        for (String o : ipPort.substring(0, colon).split("\\.")) {
            v = v * 256 + Integer.parseInt(o);
        }
        return v * 65536 + Integer.parseInt(ipPort.substring(colon + 1));
    }

    private List<Map.Entry<String, Svc>> sorted() {
        List<Map.Entry<String, Svc>> l = new ArrayList<>(table.entrySet());
        l.sort(Map.Entry.comparingByKey(SERVICES));
        return l;
    }

    private static List<Map.Entry<String, String[]>> sorted(Svc s) {
        List<Map.Entry<String, String[]>> l = new ArrayList<>(s.dests.entrySet());
        l.sort(Map.Entry.comparingByKey(Comparator.comparingLong(FakeIpvsadm::endpoint)));
        return l;
    }

    private int list(boolean timeout) {
        if (timeout) {
            out.printf("Timeout (tcp tcpfin udp): %d %d %d%n", timeouts[0], timeouts[1], timeouts[2]);
            return 0;
        }
        out.println("IP Virtual Server version 1.2.1 (size=4096)");
        out.println("Prot LocalAddress:Port Scheduler Flags");
        out.println("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn");
        sorted().forEach(e -> {
            String k = e.getKey();
            Svc s = e.getValue();
            String[] w = k.split(" ");
            String prot = w[0].equals("-t") ? "TCP" : w[0].equals("-u") ? "UDP" : "FWM";
            String flags = s.persistent > 0 ? " persistent " + s.persistent + (s.mask != null ? " mask " + s.mask : "") : "";
            out.printf("%-4s %s %s%s%n", prot, w[1], s.sched, flags);
            sorted(s).forEach(d -> out.printf("  -> %-28s %-7s %-6s %-10d %-10d%n", d.getKey(),
                    d.getValue()[0].equals("-m") ? "Masq" : d.getValue()[0].equals("-i") ? "Tunnel" : "Route", d.getValue()[1], 0, 0));
        });
        return 0;
    }

    private void save(PrintStream p) {
        sorted().forEach(e -> {
            String k = e.getKey();
            Svc s = e.getValue();
            p.println("-A " + k + " -s " + s.sched + (s.persistent > 0 ? " -p " + s.persistent + (s.mask != null ? " -M " + s.mask : "") : ""));
            sorted(s).forEach(d -> p.println("-a " + k + " -r " + d.getKey() + " " + d.getValue()[0] + " -w " + d.getValue()[1]
                    + (d.getValue()[0].equals("-i") ? " --tun-type ipip" : "")));
        });
    }

    private void load(Path state) throws IOException {
        if (!Files.exists(state)) {
            return;
        }
        for (String l : Files.readAllLines(state)) {
            if (l.startsWith("#timeouts ")) {
                String[] t = l.split(" ");
                timeouts = new int[] {Integer.parseInt(t[1]), Integer.parseInt(t[2]), Integer.parseInt(t[3])};
            } else if (l.startsWith("#daemon ")) {
                String[] d = l.split(" ");
                daemons.put(d[1], new String[] {d[2], d[3]});
            } else if (!l.isBlank()) {
                command(l.split(" "));
            }
        }
    }

    private void save(Path state) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8);
        p.printf("#timeouts %d %d %d%n", timeouts[0], timeouts[1], timeouts[2]);
        daemons.forEach((role, d) -> p.printf("#daemon %s %s %s%n", role, d[0], d[1]));
        save(p);
        Files.write(state, b.toByteArray());
    }
}
