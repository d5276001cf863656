package piranha.pulse.fos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import piranha.pulse.exec.CommandRunner;

/**
 * Piranha's own-network test before a FOS takeover (§6.2): the default gateway from
 * {@code ip route show default}, then {@code ping -n -c 1 -w 1 GW}, up to three tries. A host without a
 * default route cannot tell: it counts as reachable (the partner's probe failed; nothing says the
 * fault is ours). Piranha looked at IPv4 only; a host without an IPv4 default route has its IPv6 one
 * pinged instead (a link-local router, the usual one from router advertisements, through its device).
 */
public final class GatewayCheck {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final Pattern VIA = Pattern.compile("^default\\s+via\\s+(\\S+)(?:.*?\\sdev\\s+(\\S+))?", Pattern.MULTILINE);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final CommandRunner runner;

    public GatewayCheck(CommandRunner runner) {
        this.runner = runner;
    }

    public boolean reachable() {
        List<String> ping = gateway("-4");
        if (ping == null) ping = gateway("-6");
        if (ping == null) {
            LOG.fine("no default gateway to ping: the network counts as fine");
            return true;
        }
        for (int i = 0; i < 3; i++) {
            if (runner.run(ping, TIMEOUT).ok()) return true;
        }
        LOG.warning("default gateway " + ping.get(ping.size() - 1) + " does not answer ping");
        return false;
    }

    /** The ping of the family's default gateway, or null when the family has no default route. */
    private List<String> gateway(String family) {
        CommandRunner.Result route = runner.run(List.of("ip", family, "route", "show", "default"), TIMEOUT);
        Matcher m = VIA.matcher(route.output());
        if (!route.ok() || !m.find()) return null;
        String gw = m.group(1);
        if (gw.regionMatches(true, 0, "fe80:", 0, 5) && m.group(2) != null) {
            gw = gw + "%" + m.group(2); // link-local: only meaningful on its device
        }
        List<String> argv = new ArrayList<>(List.of("ping"));
        if (family.equals("-6")) argv.add("-6");
        argv.addAll(List.of("-n", "-c", "1", "-w", "1", gw));
        return argv;
    }
}
