package piranha.pulse.fos;

import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import piranha.pulse.exec.CommandRunner;

/**
 * Piranha's own-network test before a FOS takeover (§6.2): the default gateway from
 * {@code ip route show default}, then {@code ping -n -c 1 -w 1 GW}, up to three tries. A host without a
 * default route cannot tell: it counts as reachable (the partner's probe failed; nothing says the
 * fault is ours).
 */
public final class GatewayCheck {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final Pattern VIA = Pattern.compile("^default\\s+via\\s+(\\S+)", Pattern.MULTILINE);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final CommandRunner runner;

    public GatewayCheck(CommandRunner runner) {
        this.runner = runner;
    }

    public boolean reachable() {
        CommandRunner.Result route = runner.run(List.of("ip", "-4", "route", "show", "default"), TIMEOUT);
        Matcher m = VIA.matcher(route.output());
        if (!route.ok() || !m.find()) {
            LOG.fine("no default gateway to ping: the network counts as fine");
            return true;
        }
        String gw = m.group(1);
        for (int i = 0; i < 3; i++) {
            if (runner.run(List.of("ping", "-n", "-c", "1", "-w", "1", gw), TIMEOUT).ok()) return true;
        }
        LOG.warning("default gateway " + gw + " does not answer ping");
        return false;
    }
}
