package piranha.lvsd.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recording stand-in for ipvsadm: keeps "the kernel's table" in a file (IPVSADM_STATE, in
 * ipvsadm's save format), logs every invocation to IPVSADM_LOG (one line; {@code -R} batches add
 * one {@code -R| } line per rule), prints {@code -S -n} and {@code -L -n} like the real tool, and
 * fails like it (exit 1 with the kernel's message) on a missing or duplicate service or
 * destination. A regular expression in IPVSADM_STATE.fail (or IPVSADM_FAIL) makes matching invocations
 * fail (retry tests).
 */
public final class FakeIpvsadm {

    static final class Svc {
        String sched = "wlc";
        int persistent;
        String mask;
        final Map<String, String[]> dests = new LinkedHashMap<>(); // rip -> {method, weight}
    }

    private final Map<String, Svc> table = new LinkedHashMap<>();
    private int[] timeouts = {900, 120, 300};
    private final List<String> daemons = new ArrayList<>();
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
            switch (a[0]) {
                case "-R", "--restore" -> {
                    int n = 0;
                    for (String l : stdin.split("\n")) {
                        n++;
                        if (l.isBlank()) {
                            continue;
                        }
                        int rc = command(l.strip().split("\\s+"));
                        if (rc != 0) {
                            err.println("ipvsadm: restore failed at line " + n);
                            return rc;
                        }
                    }
                    return 0;
                }
                case "-S", "--save" -> {
                    save(out);
                    return 0;
                }
                case "-L", "-l", "--list" -> {
                    return list(Arrays.asList(a).contains("--timeout"));
                }
                default -> {
                    return command(a);
                }
            }
        } catch (RuntimeException e) {
            err.println("ipvsadm: " + e.getMessage());
            return 2;
        }
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
        for (int i = 1; i < a.length; i++) {
            switch (a[i]) {
                case "-t", "-u", "-f" -> svc = a[i] + " " + a[++i];
                case "-r" -> rip = a[++i];
                case "-m", "-g", "-i" -> method = a[i];
                case "-w" -> weight = a[++i];
                case "-s" -> sched = a[++i];
                case "-p" -> persistent = Integer.parseInt(a[++i]);
                case "-M" -> mask = a[++i];
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
                    return fail("No such service");
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
            case "--start-daemon", "--stop-daemon" -> daemons.add(String.join(" ", a));
            default -> throw new IllegalArgumentException("unknown command " + op);
        }
        return 0;
    }

    private int fail(String message) {
        err.println(message);
        return 1;
    }

    private int list(boolean timeout) {
        if (timeout) {
            out.printf("Timeout (tcp tcpfin udp): %d %d %d%n", timeouts[0], timeouts[1], timeouts[2]);
            return 0;
        }
        out.println("IP Virtual Server version 1.2.1 (size=4096)");
        out.println("Prot LocalAddress:Port Scheduler Flags");
        out.println("  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn");
        table.forEach((k, s) -> {
            String[] w = k.split(" ");
            String prot = w[0].equals("-t") ? "TCP" : w[0].equals("-u") ? "UDP" : "FWM";
            String flags = s.persistent > 0 ? " persistent " + s.persistent + (s.mask != null ? " mask " + s.mask : "") : "";
            out.printf("%-4s %s %s%s%n", prot, w[1], s.sched, flags);
            s.dests.forEach((rip, d) -> out.printf("  -> %-28s %-7s %-6s %-10d %-10d%n", rip,
                    d[0].equals("-m") ? "Masq" : d[0].equals("-i") ? "Tunnel" : "Route", d[1], 0, 0));
        });
        return 0;
    }

    private void save(PrintStream p) {
        table.forEach((k, s) -> {
            p.println("-A " + k + " -s " + s.sched + (s.persistent > 0 ? " -p " + s.persistent + (s.mask != null ? " -M " + s.mask : "") : ""));
            s.dests.forEach((rip, d) -> p.println("-a " + k + " -r " + rip + " " + d[0] + " -w " + d[1]));
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
            } else if (!l.isBlank()) {
                command(l.split(" "));
            }
        }
    }

    private void save(Path state) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        PrintStream p = new PrintStream(b, true, StandardCharsets.UTF_8);
        p.printf("#timeouts %d %d %d%n", timeouts[0], timeouts[1], timeouts[2]);
        save(p);
        Files.write(state, b.toByteArray());
    }
}
