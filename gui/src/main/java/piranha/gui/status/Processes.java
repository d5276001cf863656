package piranha.gui.status;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance's processes, as Piranha's "CURRENT LVS PROCESSES" panel showed them: the daemons
 * whose pids they report themselves (pulse, lvsd), this configuration tool, and their children
 * (lvsd under pulse, hooks, check programs), each with a short name, pid, state, uptime and
 * resident memory from the process table (no shell, no ps). Nothing is matched by name, so a
 * {@code lvsd --check} or another director's test run on the same host is not listed.
 */
public final class Processes {
    /** The main classes of the appliance's Java commands, by the command's name. */
    private static final Map<String, String> JAVA_COMMANDS = Map.of(
            "piranha.pulse.PulseMain", "pulse",
            "piranha.lvsd.LvsdMain", "lvsd",
            "piranha.nanny.NannyMain", "nanny",
            "piranha.pulse.SendArpMain", "send_arp",
            "piranha.gui.GuiMain", "piranha-gui",
            "piranha.lvsd.admin.LvsadmMain", "lvsadm");
    private static final Pattern JAVA_MAIN = Pattern.compile("(?:^|\\s)([a-z][\\w.]*\\.[A-Z]\\w*)(?:\\s|$)");

    /**
     * @param rssKb resident memory in KiB, -1 when unknown
     * @param state as /proc says it: running, sleeping, disk sleep, zombie, stopped…
     */
    public record Proc(long pid, String name, String state, Duration uptime, long rssKb) {}

    private Processes() {}

    /** This process alone (the configuration tool: it starts no children of its own). */
    public static List<Proc> self() {
        return describe(ProcessHandle.current(), Instant.now()).map(List::of).orElse(List.of());
    }

    /** Each root that runs, then its descendants, in that order; roots of 0 or below are skipped. */
    public static List<Proc> of(List<Long> roots) {
        Set<Long> seen = new LinkedHashSet<>();
        List<Proc> out = new ArrayList<>();
        Instant now = Instant.now();
        for (long root : roots) {
            if (root <= 0) {
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(root);
            if (h.isEmpty()) {
                continue;
            }
            List<ProcessHandle> tree = new ArrayList<>();
            tree.add(h.get());
            h.get().descendants().forEach(tree::add);
            for (ProcessHandle p : tree) {
                if (seen.add(p.pid())) {
                    describe(p, now).ifPresent(out::add);
                }
            }
        }
        return out;
    }

    private static Optional<Proc> describe(ProcessHandle p, Instant now) {
        ProcessHandle.Info info = p.info();
        String stat = read(Path.of("/proc", Long.toString(p.pid()), "stat"));
        if (stat == null) {
            return Optional.empty(); // gone meanwhile
        }
        Duration uptime = info.startInstant().map(s -> Duration.between(s, now)).orElse(Duration.ZERO);
        return Optional.of(new Proc(p.pid(), name(info.command().orElse(""), info.commandLine().orElse(""), stat),
                state(stat), uptime.isNegative() ? Duration.ZERO : uptime, rssKb(p.pid())));
    }

    /** pulse for a JVM running piranha.pulse.PulseMain, ip for /usr/sbin/ip, the kernel's name otherwise. */
    static String name(String command, String commandLine, String stat) {
        String base = command.substring(command.lastIndexOf('/') + 1);
        if (base.equals("java")) {
            Matcher m = JAVA_MAIN.matcher(commandLine);
            while (m.find()) {
                String n = JAVA_COMMANDS.get(m.group(1));
                if (n != null) {
                    return n;
                }
            }
        }
        if (!base.isEmpty()) {
            return base;
        }
        // /proc/PID/stat: "PID (comm) S ..."
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        return open >= 0 && close > open ? stat.substring(open + 1, close) : "?";
    }

    static String state(String stat) {
        int close = stat.lastIndexOf(')');
        char s = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
        return switch (s) {
            case 'R' -> "running";
            case 'S' -> "sleeping";
            case 'D' -> "disk sleep";
            case 'Z' -> "zombie";
            case 'T', 't' -> "stopped";
            case 'I' -> "idle";
            default -> String.valueOf(s);
        };
    }

    private static long rssKb(long pid) {
        String status = read(Path.of("/proc", Long.toString(pid), "status"));
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return -1;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
