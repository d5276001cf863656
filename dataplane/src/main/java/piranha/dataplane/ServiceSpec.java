package piranha.dataplane;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A virtual service as {@code ipvsadm -A/-E} takes it: key, scheduler ({@code -s}), persistence
 * ({@code -p}, {@code -M}). {@code fwmark} is the lvs.cf value; non-zero is reported once and the
 * service is forwarded on its VIP:port (packet marks are invisible to user space).
 * {@code schedulerFlags} are ipvsadm's {@code -b} names ({@code mh-fallback}, {@code mh-port}).
 */
public record ServiceSpec(
        ServiceKey key, String scheduler, int persistentSeconds, InetAddress pmask, int fwmark,
        java.util.Set<String> schedulerFlags) {

    public ServiceSpec(ServiceKey key, String scheduler, int persistentSeconds, InetAddress pmask, int fwmark) {
        this(key, scheduler, persistentSeconds, pmask, fwmark, java.util.Set.of());
    }

    public ServiceSpec {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(scheduler, "scheduler");
        if (persistentSeconds < 0) {
            throw new IllegalArgumentException("persistent timeout must be >= 0, got " + persistentSeconds);
        }
        if (fwmark < 0) throw new IllegalArgumentException("fwmark must be >= 0, got " + fwmark);
        // sorted: equal flag sets compare equal and print in one order
        schedulerFlags = schedulerFlags == null ? java.util.Set.of()
                : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(schedulerFlags));
        // Piranha stores pmask 255.255.255.255 as 0 (omitted); treat a host mask and none alike.
        if (pmask != null && isHostMask(pmask)) pmask = null;
    }

    public static ServiceSpec of(ServiceKey key, String scheduler) {
        return new ServiceSpec(key, scheduler, 0, null, 0);
    }

    public ServiceSpec persistent(int seconds, InetAddress mask) {
        return new ServiceSpec(key, scheduler, seconds, mask, fwmark, schedulerFlags);
    }

    public ServiceSpec withScheduler(String name) {
        return new ServiceSpec(key, name, persistentSeconds, pmask, fwmark, schedulerFlags);
    }

    public ServiceSpec withFwmark(int mark) {
        return new ServiceSpec(key, scheduler, persistentSeconds, pmask, mark, schedulerFlags);
    }

    /** The same service with ipvsadm's {@code -b} flags. */
    public ServiceSpec withSchedulerFlags(java.util.Set<String> flags) {
        return new ServiceSpec(key, scheduler, persistentSeconds, pmask, fwmark, flags);
    }

    private static boolean isHostMask(InetAddress m) {
        for (byte b : m.getAddress()) if (b != (byte) 0xff) return false;
        return true;
    }
}
