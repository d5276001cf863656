package piranha.pulse.address;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import piranha.pulse.exec.CommandRunner;

/**
 * Adds and removes the floating addresses, labelled with lvs.cf's alias name. Only the address is
 * touched; the device itself is never brought down.
 *
 * <p>The addresses move through rtnetlink ({@link RtnetlinkAddresses}): a takeover must not wait for a
 * child process. The `ip` command remains for an operator's or a test's own ip command, for test-start
 * mode (which only logs what it would run) and for a system where the netlink socket cannot be opened.
 */
public final class AddressActions {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** The ip command that means "no override": only then does rtnetlink stand in for it. */
    public static final String DEFAULT_IP = "ip";
    private final CommandRunner runner;
    private final String ip;
    private final boolean netlink;
    private AddressLedger ledger;

    public AddressActions(CommandRunner runner, String ipCommand) {
        this.runner = runner;
        this.ip = ipCommand;
        this.netlink = !runner.testStart() && DEFAULT_IP.equals(ipCommand) && netlinkWorks();
    }

    /** From now on each address is recorded in {@code ledger} before it is added and forgotten once removed. */
    public AddressActions recordingIn(AddressLedger ledger) {
        this.ledger = ledger;
        return this;
    }

    /** Decided once, at start: a takeover is no time to find out, nor to load the native side. */
    private static boolean netlinkWorks() {
        try {
            RtnetlinkAddresses.probe();
            return true;
        } catch (IOException e) {
            LOG.warning(e.getMessage() + ": floating addresses are moved with `ip addr` instead");
            return false;
        }
    }

    /** True when the addresses move through rtnetlink rather than the ip command. */
    public boolean throughNetlink() {
        return netlink;
    }

    /**
     * {@code ip addr add A/P [brd +] dev D [label L]}; an IPv6 address as {@code ip -6 addr add A/P dev D
     * [label L] nodad preferred_lft 0}: a floating address moves between directors, so duplicate address
     * detection (a second of tentative state in which nothing can use it) would only delay the takeover;
     * and it is deprecated (valid forever, preferred for 0 s), as an IPv4 VIP is a secondary address:
     * it receives, answers neighbour solicitations and is the source of replies to connections made to
     * it, but the kernel never picks it as the source of the director's own connections. Otherwise, by
     * RFC 6724's longest matching prefix and then the newest address first, a VIP in the real servers'
     * prefix became the source of nanny's checks, and a real server holding the VIP on lo (direct
     * routing) answered them to itself.
     */
    public static List<String> addCommand(String ip, Plumbing p) {
        if (p.ipv6()) {
            List<String> argv = new ArrayList<>(List.of(ip, "-6", "addr", "add", p.cidr(), "dev", p.baseDevice()));
            if (p.label() != null) argv.addAll(List.of("label", p.label()));
            argv.addAll(List.of("nodad", "preferred_lft", "0"));
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
        if (ledger != null) ledger.holding(p);
        boolean on = plumb(p);
        if (!on && ledger != null) ledger.released(p);
        return on;
    }

    /**
     * Adds each of {@code plan}, in order. The ledger records them all before the first is added, so a
     * takeover writes it once rather than once before each address.
     */
    public void addAll(List<Plumbing> plan) {
        if (plan.isEmpty()) return;
        if (ledger != null) ledger.holding(plan);
        List<Plumbing> failed = new ArrayList<>(0);
        for (Plumbing p : plan) if (!plumb(p)) failed.add(p);
        if (ledger != null && !failed.isEmpty()) ledger.released(failed);
    }

    private boolean plumb(Plumbing p) {
        if (netlink) {
            try {
                int errno = RtnetlinkAddresses.add(p, TIMEOUT);
                if (errno == 0 || errno == RtnetlinkAddresses.EEXIST) return true;
                LOG.warning("cannot add " + p.kind() + " " + p.cidr() + " on " + p.device() + ": "
                        + RtnetlinkAddresses.reason(errno));
                return false;
            } catch (IOException e) {
                LOG.warning(e.getMessage() + ": adding " + p.cidr() + " with `ip addr` instead");
            }
        }
        CommandRunner.Result r = runner.run(addCommand(ip, p), TIMEOUT);
        if (r.ok() || r.output().contains("File exists") || r.output().contains("already assigned")) return true;
        LOG.warning("cannot add " + p.kind() + " " + p.cidr() + " on " + p.device() + ": " + r.output());
        return false;
    }

    /** What a removal found: the address taken off, not there, or still there. */
    private enum Removal { REMOVED, ABSENT, FAILED }

    /** True when the address was on its device and is now removed. */
    public boolean remove(Plumbing p) {
        Removal r = unplumb(p);
        if (r != Removal.FAILED && ledger != null) ledger.released(p);
        return r == Removal.REMOVED;
    }

    /** Removes each of {@code plan}, in order; the ledger forgets those now off the host in one write. */
    public void removeAll(List<Plumbing> plan) {
        if (plan.isEmpty()) return;
        List<Plumbing> off = new ArrayList<>(plan.size());
        for (Plumbing p : plan) if (unplumb(p) != Removal.FAILED) off.add(p);
        if (ledger != null && !off.isEmpty()) ledger.released(off);
    }

    private Removal unplumb(Plumbing p) {
        if (netlink) {
            try {
                int errno = RtnetlinkAddresses.remove(p, TIMEOUT);
                if (errno == 0) return Removal.REMOVED;
                if (errno == RtnetlinkAddresses.EADDRNOTAVAIL) return Removal.ABSENT;
                LOG.warning("cannot remove " + p.kind() + " " + p.cidr() + " from " + p.device() + ": "
                        + RtnetlinkAddresses.reason(errno));
                return Removal.FAILED;
            } catch (IOException e) {
                LOG.warning(e.getMessage() + ": removing " + p.cidr() + " with `ip addr` instead");
            }
        }
        CommandRunner.Result r = runner.run(delCommand(ip, p), TIMEOUT);
        if (r.ok()) return runner.testStart() ? Removal.ABSENT : Removal.REMOVED;
        if (r.output().contains("Cannot assign requested address") || r.output().contains("Address not found")
                || r.output().contains("address not found")) {
            return Removal.ABSENT;
        }
        LOG.warning("cannot remove " + p.kind() + " " + p.cidr() + " from " + p.device() + ": " + r.output());
        return Removal.FAILED;
    }
}
