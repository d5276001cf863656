package piranha.pulse.address;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import piranha.pulse.exec.CommandRunner;

/**
 * Adds and removes the floating addresses with `ip addr`, labelled with lvs.cf's alias name. Only the
 * address is touched; the device itself is never brought down.
 */
public final class AddressActions {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final CommandRunner runner;
    private final String ip;

    public AddressActions(CommandRunner runner, String ipCommand) {
        this.runner = runner;
        this.ip = ipCommand;
    }

    /**
     * {@code ip addr add A/P [brd +] dev D [label L]}; an IPv6 address as {@code ip -6 addr add A/P dev D
     * [label L] nodad}: a floating address moves between directors, so duplicate address detection
     * (a second of tentative state in which nothing can use it) would only delay the takeover.
     */
    public static List<String> addCommand(String ip, Plumbing p) {
        if (p.ipv6()) {
            List<String> argv = new ArrayList<>(List.of(ip, "-6", "addr", "add", p.cidr(), "dev", p.baseDevice()));
            if (p.label() != null) argv.addAll(List.of("label", p.label()));
            argv.add("nodad");
            return argv;
        }
        List<String> argv = new ArrayList<>(List.of(ip, "addr", "add", p.cidr()));
        if (p.prefix() < 31) argv.addAll(List.of("brd", "+"));
        argv.addAll(List.of("dev", p.baseDevice()));
        if (p.label() != null) argv.addAll(List.of("label", p.label()));
        return argv;
    }

    public static List<String> delCommand(String ip, Plumbing p) {
        if (p.ipv6()) return List.of(ip, "-6", "addr", "del", p.cidr(), "dev", p.baseDevice());
        return List.of(ip, "addr", "del", p.cidr(), "dev", p.baseDevice());
    }

    /** True when the address is (now) on its device. */
    public boolean add(Plumbing p) {
        CommandRunner.Result r = runner.run(addCommand(ip, p), TIMEOUT);
        if (r.ok() || r.output().contains("File exists") || r.output().contains("already assigned")) return true;
        LOG.warning("cannot add " + p.kind() + " " + p.cidr() + " on " + p.device() + ": " + r.output());
        return false;
    }

    public void remove(Plumbing p) {
        CommandRunner.Result r = runner.run(delCommand(ip, p), TIMEOUT);
        if (!r.ok() && !r.output().contains("Cannot assign requested address")
                && !r.output().contains("Address not found") && !r.output().contains("address not found")) {
            LOG.warning("cannot remove " + p.kind() + " " + p.cidr() + " from " + p.device() + ": " + r.output());
        }
    }
}
