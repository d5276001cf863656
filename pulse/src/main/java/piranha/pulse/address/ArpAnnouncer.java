package piranha.pulse.address;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;

/**
 * Gratuitous ARP bursts sent from this process (no send_arp child): the first frame per address at
 * once, then count-1 more at the configured interval. A new burst replaces one still running. An
 * IPv6 address is announced the same way (garp_count, garp_interval) with an unsolicited neighbour
 * advertisement, IPv6's gratuitous ARP.
 */
public final class ArpAnnouncer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");
    private final int count;
    private final Duration interval;
    private final boolean testStart;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> RealtimeScheduling.thread("garp", r));
    private ScheduledFuture<?> burst;
    private PacketSocket socket;
    /** Bumped by every announce/cancel, so a round already due for an old burst sends nothing. */
    private long generation;
    /** Devices without an Ethernet address (lo, tun, wireguard) already logged: ARP means nothing there. */
    private final Set<String> noArpLogged = new HashSet<>();

    public ArpAnnouncer(int count, Duration interval, boolean testStart) {
        this.count = count;
        this.interval = interval;
        this.testStart = testStart;
    }

    /** With vip_group blocks, the group whose addresses these are, before each line ("" for a pair). */
    private volatile String logPrefix = "";

    /** This announcer's lines begin with prefix (a VIP group's name); returns this. */
    public ArpAnnouncer logPrefix(String prefix) {
        this.logPrefix = prefix;
        return this;
    }

    public synchronized void announce(List<Plumbing> addresses) {
        cancel();
        if (count == 0 || addresses.isEmpty()) return;
        round(addresses, 1, generation);
    }

    private synchronized void round(List<Plumbing> addresses, int number, long gen) {
        if (gen != generation) return;
        for (Plumbing p : addresses) sendOne(p);
        if (number >= count) {
            burst = null;
            LOG.info(logPrefix + "gratuitous lvs arps finished");
            return;
        }
        burst = timer.schedule(() -> round(addresses, number + 1, gen), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void sendOne(Plumbing p) {
        if (testStart) {
            LOG.info(() -> "test-start: would send " + (p.ipv6() ? "an unsolicited neighbour advertisement" : "gratuitous ARP")
                    + " for " + p.address().getHostAddress()
                    + " on " + p.baseDevice());
            return;
        }
        try {
            byte[] mac = PacketSocket.hardwareAddress(p.baseDevice());
            if (mac == null) {
                if (noArpLogged.add(p.baseDevice())) {
                    LOG.fine(() -> "no gratuitous ARP on " + p.baseDevice() + ": it has no Ethernet address");
                }
                return;
            }
            if (socket == null) socket = new PacketSocket();
            socket.send(p.baseDevice(), p.address() instanceof java.net.Inet6Address v6
                    ? NeighbourAdvertisement.unsolicited(v6, mac)
                    : ArpFrame.announcement((java.net.Inet4Address) p.address(), mac));
        } catch (IOException e) {
            LOG.warning((p.ipv6() ? "neighbour advertisement for " : "gratuitous ARP for ") + p.address().getHostAddress()
                    + " on " + p.baseDevice() + " failed: " + e.getMessage());
        }
    }

    public synchronized void cancel() {
        generation++;
        if (burst != null) burst.cancel(false);
        burst = null;
    }

    @Override
    public synchronized void close() {
        cancel();
        timer.shutdownNow();
        if (socket != null) socket.close();
    }
}
