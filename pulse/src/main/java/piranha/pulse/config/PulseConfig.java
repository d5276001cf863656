package piranha.pulse.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What pulse needs from lvs.cf, as plain values. Built by a {@link PulseConfigSource}; the pulse code
 * never parses lvs.cf itself.
 *
 * @param primary          primary director's public address
 * @param backup           backup director's public address, null when absent (0.0.0.0)
 * @param primaryPrivate   primary's private heartbeat address (equals primary when not set)
 * @param backupPrivate    backup's private heartbeat address (equals backup when not set)
 * @param backupActive     a backup director exists (Piranha's only switch for heartbeats)
 * @param heartbeatPort    UDP port of both paths
 * @param keepalive        heartbeat period (fractions of a second allowed)
 * @param deadtime         partner dead after this long without a valid heartbeat
 * @param network          nat, direct or tunnel
 * @param natRouter        floating NAT gateway address, null when absent
 * @param natNmask         netmask of natRouter (an IPv6 one for an IPv6 router), null = unspecified
 * @param vips             the active virtual services' addresses, in file order (not yet deduplicated)
 * @param activeCmd        active_cmd or null
 * @param inactiveCmd      inactive_cmd or null
 * @param monitorLinks     monitor_links != 0
 * @param syncDaemon       syncdaemon = 1
 * @param syncdIface       syncd_iface (default eth0)
 * @param syncdId          syncd_id masked to 0..255
 * @param ipvsadm          path of ipvsadm
 * @param backend          lvsd's table backend: ipvsadm, userspace or auto
 * @param extensions       keys that original Piranha does not have
 * @param failovers        service = fos: the active failover blocks (their addresses are the vips); else empty
 * @param tracks           the track blocks: checks of the director itself (either mode)
 */
public record PulseConfig(
        InetAddress primary,
        InetAddress backup,
        InetAddress primaryPrivate,
        InetAddress backupPrivate,
        boolean backupActive,
        int heartbeatPort,
        Duration keepalive,
        Duration deadtime,
        String network,
        HostAddress natRouter,
        InetAddress natNmask,
        List<HostAddress> vips,
        String activeCmd,
        String inactiveCmd,
        boolean monitorLinks,
        boolean syncDaemon,
        String syncdIface,
        int syncdId,
        String ipvsadm,
        String backend,
        Extensions extensions,
        List<piranha.pulse.fos.FailoverService> failovers,
        List<piranha.pulse.fos.TrackedCheck> tracks) {

    /** Without track blocks. */
    public PulseConfig(InetAddress primary, InetAddress backup, InetAddress primaryPrivate, InetAddress backupPrivate,
                       boolean backupActive, int heartbeatPort, Duration keepalive, Duration deadtime, String network,
                       HostAddress natRouter, InetAddress natNmask, List<HostAddress> vips, String activeCmd,
                       String inactiveCmd, boolean monitorLinks, boolean syncDaemon, String syncdIface, int syncdId,
                       String ipvsadm, String backend, Extensions extensions,
                       List<piranha.pulse.fos.FailoverService> failovers) {
        this(primary, backup, primaryPrivate, backupPrivate, backupActive, heartbeatPort, keepalive, deadtime, network,
                natRouter, natNmask, vips, activeCmd, inactiveCmd, monitorLinks, syncDaemon, syncdIface, syncdId, ipvsadm,
                backend, extensions, failovers, List.of());
    }

    public PulseConfig {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(keepalive, "keepalive");
        Objects.requireNonNull(deadtime, "deadtime");
        vips = List.copyOf(vips);
        failovers = List.copyOf(failovers);
        tracks = tracks == null ? List.of() : List.copyOf(tracks);
        if (primaryPrivate == null) primaryPrivate = primary;
        if (backupPrivate == null) backupPrivate = backup;
        if (network == null) network = "nat";
        if (syncdIface == null) syncdIface = "eth0";
        syncdId &= 0xff;
        if (ipvsadm == null) ipvsadm = "/sbin/ipvsadm";
        if (backend == null) backend = "auto";
        if (extensions == null) extensions = Extensions.DEFAULTS;
        if (keepalive.isNegative() || keepalive.isZero()) {
            throw new IllegalArgumentException("keepalive must be greater than 0");
        }
        if (deadtime.isNegative() || deadtime.isZero()) {
            throw new IllegalArgumentException("deadtime must be greater than 0");
        }
        if (heartbeatPort <= 0 || heartbeatPort > 65535) {
            throw new IllegalArgumentException("heartbeat_port out of range: " + heartbeatPort);
        }
    }

    /** Piranha clears backup_active when no backup address is set. */
    /** service = fos: failover services instead of virtual services and lvsd. */
    public boolean fos() {
        return !failovers.isEmpty();
    }

    public boolean hasBackup() {
        return backupActive && backup != null;
    }

    /**
     * An address with the device (or alias) it is plumbed on, plus its netmask (null = unspecified),
     * IPv4 or IPv6 (the netmask then of the same family).
     */
    public record HostAddress(String name, InetAddress address, String device, InetAddress netmask) {
        public HostAddress {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(device, "device");
        }
    }

    /**
     * Extension keys.
     *
     * @param heartbeatKeyFile  heartbeat_key_file: file (mode 0600) with the shared HMAC key; null = Piranha's
     *                          unauthenticated 4-byte heartbeat
     * @param givebackDelay     giveback_delay: a standby primary takes the addresses back after the backup has
     *                          been active this long; null = never (Piranha)
     * @param garpCount         garp_count: gratuitous ARPs per address at activation and re-announce
     * @param garpInterval      garp_interval: time between them (the first is sent at once)
     * @param hookTimeout       hook_timeout: active_cmd / inactive_cmd are killed after this long
     * @param lvsdReadyTimeout  lvsd_ready_timeout: how long activation waits for lvsd's readiness
     * @param lvsdWarmStandby   lvsd_warm_standby (default true): run lvsd on the standby too, so a takeover
     *                          only moves addresses (real servers are then checked from both directors);
     *                          false: Piranha's cold standby
     * @param metrics           pulse_metrics: where pulse serves Prometheus metrics ({@code Listen.OFF}: nowhere)
     */
    public record Extensions(Path heartbeatKeyFile, Duration givebackDelay, int garpCount,
                             Duration garpInterval, Duration hookTimeout, Duration lvsdReadyTimeout,
                             boolean lvsdWarmStandby, String scriptUser, piranha.lvscf.model.Listen metrics,
                             java.util.Map<String, String> notifyPrograms, Duration notifyTimeout) {
        public static final Extensions DEFAULTS = new Extensions(null, null, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(10), true, null);

        public Extensions(Path heartbeatKeyFile, Duration givebackDelay, int garpCount, Duration garpInterval,
                          Duration hookTimeout, Duration lvsdReadyTimeout, boolean lvsdWarmStandby, String scriptUser) {
            this(heartbeatKeyFile, givebackDelay, garpCount, garpInterval, hookTimeout, lvsdReadyTimeout, lvsdWarmStandby,
                    scriptUser, null, null, null);
        }

        public Extensions {
            if (metrics == null) metrics = new piranha.lvscf.model.Listen("127.0.0.1", 9539);
            notifyPrograms = notifyPrograms == null ? java.util.Map.of() : java.util.Map.copyOf(notifyPrograms);
            if (notifyTimeout == null) notifyTimeout = Duration.ofSeconds(10);
            if (garpCount < 0) throw new IllegalArgumentException("garp_count must not be negative");
            if (garpInterval == null) garpInterval = Duration.ofSeconds(1);
            if (hookTimeout == null) hookTimeout = Duration.ofSeconds(30);
            if (lvsdReadyTimeout == null) lvsdReadyTimeout = Duration.ofSeconds(10);
        }
    }
}
