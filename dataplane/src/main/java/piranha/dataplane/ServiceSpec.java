package piranha.dataplane;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A virtual service as {@code ipvsadm -A/-E} takes it: key, scheduler ({@code -s}), persistence
 * ({@code -p}, {@code -M}). {@code fwmark} is the lvs.cf value; non-zero is reported once and the
 * service is forwarded on its VIP:port (packet marks are invisible to user space).
 */
public record ServiceSpec(
        ServiceKey key, String scheduler, int persistentSeconds, InetAddress pmask, int fwmark) {

    public ServiceSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
        if (persistentSeconds < 0) {
            throw new IllegalArgumentException("persistent timeout must be >= 0, got " + persistentSeconds);
        }
        if (fwmark < 0) throw new IllegalArgumentException("fwmark must be >= 0, got " + fwmark);
        // Piranha stores pmask 255.255.255.255 as 0 (omitted); treat a host mask and none alike.
        if (pmask != null && isHostMask(pmask)) pmask = null;
    }

    public static ServiceSpec of(ServiceKey key, String scheduler) {
        return new ServiceSpec(key, scheduler, 0, null, 0);
    }

    public ServiceSpec persistent(int seconds, InetAddress mask) {
        return new ServiceSpec(key, scheduler, seconds, mask, fwmark);
    }

    public ServiceSpec withScheduler(String name) {
        return new ServiceSpec(key, name, persistentSeconds, pmask, fwmark);
    }

    public ServiceSpec withFwmark(int mark) {
        return new ServiceSpec(key, scheduler, persistentSeconds, pmask, mark);
    }

    private static boolean isHostMask(InetAddress m) {
        for (byte b : m.getAddress()) if (b != (byte) 0xff) return false;
        return true;
    }
}
