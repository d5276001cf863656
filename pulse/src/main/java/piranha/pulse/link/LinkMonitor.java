package piranha.pulse.link;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.logging.Logger;
import piranha.daemon.RealtimeScheduling;

/**
 * monitor_links: watches the NICs that carry our heartbeat addresses and reports the set of NICs that
 * are down whenever it changes. Woken by rtnetlink link events (so a link loss is seen at once), and
 * polling sysfs (admin state from flags, link from carrier) every period as well, which is also the
 * fallback where netlink is not available.
 */
public final class LinkMonitor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");
    private static final int IFF_UP = 1;

    private final Map<String, String> devices;
    private final Duration period;
    private final Consumer<Set<String>> onChange;
    private final Path sysClassNet;
    private final boolean useNetlink;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param devices  NIC name as Piranha logs it ("Primary", "Private") to device name
     * @param onChange called from the monitor thread with the names whose link is down
     */
    public LinkMonitor(Map<String, String> devices, Duration period, Consumer<Set<String>> onChange, Path sysClassNet) {
        this(devices, period, onChange, sysClassNet, true);
    }

    /** @param useNetlink false: poll only (tests against a fake sysfs) */
    public LinkMonitor(Map<String, String> devices, Duration period, Consumer<Set<String>> onChange, Path sysClassNet,
                       boolean useNetlink) {
        this.useNetlink = useNetlink;
        this.devices = new LinkedHashMap<>(devices);
        this.period = period;
        this.onChange = onChange;
        this.sysClassNet = sysClassNet;
    }

    /** The device holding an address, alias mapped to its base device; null when none does. */
    public static String deviceOf(InetAddress address) {
        try {
            NetworkInterface nif = NetworkInterface.getByInetAddress(address);
            if (nif == null) return null;
            while (nif.getParent() != null) nif = nif.getParent();
            String name = nif.getName();
            int colon = name.indexOf(':');
            return colon < 0 ? name : name.substring(0, colon);
        } catch (SocketException e) {
            return null;
        }
    }

    /** Whether a device's link is up: administratively up and carrier present (carrier unknown = up). */
    public boolean linkUp(String device) {
        Path dir = sysClassNet.resolve(device);
        try {
            int flags = Integer.decode(Files.readString(dir.resolve("flags")).trim());
            if ((flags & IFF_UP) == 0) return false;
        } catch (IOException | NumberFormatException e) {
            return false; // the device is gone
        }
        try {
            return !"0".equals(Files.readString(dir.resolve("carrier")).trim());
        } catch (IOException e) {
            return true; // as Piranha: a driver that cannot tell counts as up
        }
    }

    /** The links watched, as Piranha names them ("Primary", "Private"). */
    public Set<String> names() {
        return Set.copyOf(devices.keySet());
    }

    public Set<String> down() {
        Set<String> down = new TreeSet<>();
        devices.forEach((nic, dev) -> {
            if (!linkUp(dev)) down.add(nic);
        });
        return down;
    }

    public void start() {
        thread = RealtimeScheduling.thread("link-monitor", this::loop);
        thread.start();
    }

    private void loop() {
        NetlinkLinkEvents events = null;
        if (useNetlink) {
            try {
                events = new NetlinkLinkEvents(period);
            } catch (IOException e) {
                LOG.fine(() -> "link monitor polls only: " + e.getMessage());
            }
        }
        Set<String> last = null;
        try {
            while (running) {
                Set<String> now = down();
                if (!now.equals(last)) {
                    last = now;
                    onChange.accept(now);
                }
                if (events != null) {
                    try {
                        events.await();
                    } catch (IOException e) {
                        LOG.fine(() -> "link monitor falls back to polling: " + e.getMessage());
                        events.close();
                        events = null;
                    }
                } else {
                    Thread.sleep(Math.max(1, period.toMillis()));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (events != null) events.close();
        }
        LOG.fine("link monitor stopped");
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) thread.interrupt();
    }
}
