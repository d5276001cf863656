package piranha.pulse;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;
import piranha.pulse.address.AddressActions;
import piranha.pulse.address.AddressLedger;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.address.Plumbing;
import piranha.pulse.config.PulseConfigSource;
import piranha.pulse.exec.CommandRunner;
import piranha.pulse.routing.ActiveActiveConfig;

/**
 * {@code pulse --release}: the floating addresses a pulse that could not remove them itself left on
 * this host taken off, as a deactivation does. A pulse killed while active (kill -9, the kernel's OOM
 * killer, a crash) leaves its VIPs on its devices; its partner takes them over within deadtime, and
 * until something removes them both directors answer ARP for them. systemd runs this as pulse's
 * ExecStopPost, right after pulse has gone and before it is started again; a pulse that starts does
 * the same first ({@link #leftBehind}), for a service manager that ran nothing after the crash.
 *
 * <p>What it removes: every address the pulse recorded in its {@link AddressLedger} (what it added,
 * even where lvs.cf has changed on disk since), and every floating address lvs.cf gives the pair (VIPs,
 * NAT routers, every vip_group's), for a pulse older than the ledger or one that could not write it.
 * It refuses while a pulse answers on the control socket: a running pulse owns its addresses.
 */
final class Release {
    private static final Logger LOG = Logger.getLogger("pulse");

    private Release() {
    }

    /**
     * The exit status: 0 once each address was tried (one that cannot be removed is logged as a
     * warning, as in a deactivation), 1 when a pulse runs or lvs.cf cannot be read (what the ledger
     * records is removed all the same).
     */
    static int run(PulseOptions opts) {
        if (answers(opts)) {
            System.err.println("pulse: --release: a pulse answers on " + opts.controlSocket + ": it releases its addresses itself");
            return 1;
        }
        AddressLedger ledger = AddressLedger.open(AddressLedger.fileFor(opts.controlSocket));
        Set<Plumbing> plan = new LinkedHashSet<>(ledger.held());
        int status = 0;
        if (ActiveActiveConfig.requested(opts.configFile)) {
            // every director holds the VIPs there; what steers traffic is the routes, which BIRD withdraws
            // as it stops with pulse
            LOG.info("release: director_mode = active_active: no floating address to release");
        } else {
            try {
                // the pair's own plan holds every group's VIPs too: vip_group blocks only split it
                plan.addAll(AddressPlan.of(PreparedConfig.load(opts.configFile).config()));
            } catch (PulseConfigSource.ConfigException | IllegalArgumentException e) {
                System.err.println("pulse: --release: " + e.getMessage());
                status = 1;
            }
        }
        AddressActions addresses = new AddressActions(new CommandRunner(opts.testStart), AddressActions.DEFAULT_IP)
                .recordingIn(ledger);
        int released = 0;
        for (Plumbing p : plan) {
            if (addresses.remove(p)) {
                released++;
                LOG.warning("release: " + p.kind() + " " + p.cidr() + " was left on " + p.device() + ": removed");
            }
        }
        if (released == 0 && !plan.isEmpty()) LOG.info("release: no address of " + opts.configFile + " on this host");
        return status;
    }

    /**
     * At a pulse's start, before its first heartbeat: what the pulse before it recorded and left on the
     * host (killed, and nothing ran {@code --release} after it) comes off. Its partner holds those
     * addresses by now; this pulse adds its own again if it becomes active.
     */
    static void leftBehind(AddressLedger ledger, AddressActions addresses) {
        for (Plumbing p : ledger.held()) {
            if (addresses.remove(p)) {
                LOG.warning(p.kind() + " " + p.cidr() + " was left on " + p.device()
                        + " by a pulse that did not release it: removed");
            }
        }
    }

    /**
     * True when something accepts connections on pulse's control socket. Deliberately not a status
     * request through ControlClient: a pulse slow to answer (held up, in a collection) still runs
     * and still owns its addresses.
     */
    private static boolean answers(PulseOptions opts) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(opts.controlSocket));
            return true;
        } catch (IOException e) {
            return false; // no socket file, or one a killed pulse left behind with no one listening
        }
    }
}
