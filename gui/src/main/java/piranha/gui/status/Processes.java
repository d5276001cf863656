package piranha.gui.status;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The director's processes, as Piranha's "CURRENT LVS PROCESSES" panel showed them, from the
 * process table (no shell, no ps): pulse, lvsd, nanny, send_arp, whether native or Java.
 */
public final class Processes {
    private static final Pattern OURS = Pattern.compile(
            "(^|/)(pulse|lvsd|lvs|nanny|send_arp|fos)$|piranha\\.(pulse|lvsd|nanny)\\.");

    public record Proc(long pid, String command) {}

    private Processes() {}

    public static List<Proc> list() {
        List<Proc> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            ProcessHandle.Info info = p.info();
            Optional<String> cmd = info.command();
            String line = info.commandLine().orElse(cmd.orElse(""));
            if (cmd.isPresent() && (OURS.matcher(cmd.get()).find() || OURS.matcher(line).find())) {
                out.add(new Proc(p.pid(), line.length() > 300 ? line.substring(0, 300) + "..." : line));
            }
        });
        return out;
    }
}
