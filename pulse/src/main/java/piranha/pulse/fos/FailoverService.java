package piranha.pulse.fos;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * One active {@code failover NAME { }} block: a local service that lives on the active director with its
 * address.
 *
 * @param name     the block's name
 * @param address  the service's floating address (added with the block's device label)
 * @param port     the port its check connects to
 * @param udp      protocol = udp
 * @param send     check: string sent, or null
 * @param expect   check: expected reply, or null
 * @param useRegex expect is a regular expression
 * @param timeout  check interval and timeout, seconds (Piranha's one knob)
 * @param fall     failed checks in a row that make the director give up (1, as Piranha)
 * @param startCmd start_cmd, split on blanks, run without a shell
 * @param stopCmd  stop_cmd, split on blanks, or empty
 */
public record FailoverService(String name, InetAddress address, int port, boolean udp, String send, String expect,
                              boolean useRegex, int timeout, int fall, List<String> startCmd, List<String> stopCmd) {
    public FailoverService {
        startCmd = List.copyOf(startCmd);
        stopCmd = List.copyOf(stopCmd);
    }

    /** Piranha's way of turning start_cmd/stop_cmd into a command line: blanks separate, no shell. */
    public static List<String> argv(String command) {
        if (command == null || command.isBlank()) return List.of();
        return Arrays.asList(command.trim().split("\\s+"));
    }

    public String endpoint() {
        return address.getHostAddress() + ":" + port;
    }
}
