package piranha.pulse;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import piranha.pulse.config.PulseConfig;
import piranha.pulse.heartbeat.HeartbeatLoop;

/**
 * What lvs.cf makes of this host: its role (primary when one of its addresses is lvs.cf's primary,
 * else backup, as Piranha decided) and the heartbeat paths to the partner.
 *
 * @param partnerPublic null without a backup
 */
record Node(boolean primary, boolean hasBackup, InetAddress ownPublic, InetAddress ownPrivate,
            InetAddress partnerPublic, InetAddress partnerPrivate, int heartbeatPort) {

    static Node of(PulseConfig cfg, Collection<InetAddress> localAddresses) {
        boolean primary = localAddresses.contains(cfg.primary());
        // Piranha: a private path only when the primary's private address is set apart from its public one
        boolean privateAddresses = !cfg.primaryPrivate().equals(cfg.primary());
        InetAddress ownPublic = primary ? cfg.primary() : cfg.backup();
        InetAddress ownPrivate = privateAddresses ? (primary ? cfg.primaryPrivate() : cfg.backupPrivate()) : ownPublic;
        InetAddress partnerPublic = cfg.hasBackup() ? (primary ? cfg.backup() : cfg.primary()) : null;
        InetAddress partnerPrivate = cfg.hasBackup() ? (primary ? cfg.backupPrivate() : cfg.primaryPrivate()) : null;
        return new Node(primary, cfg.hasBackup(), ownPublic, ownPrivate, partnerPublic, partnerPrivate, cfg.heartbeatPort());
    }

    /** A private path exists when lvs.cf names private addresses that differ from the public ones. */
    boolean privatePath() {
        return ownPrivate != null && !ownPrivate.equals(ownPublic);
    }

    List<HeartbeatLoop.Path> heartbeatPaths() {
        List<HeartbeatLoop.Path> paths = new ArrayList<>();
        paths.add(new HeartbeatLoop.Path("public", ownPublic, partnerPublic));
        if (privatePath()) paths.add(new HeartbeatLoop.Path("private", ownPrivate, partnerPrivate));
        return paths;
    }

    /** monitor_links: Piranha's NIC names ("Primary", "Private") and the devices holding our addresses. */
    Map<String, String> monitoredDevices(java.util.function.Function<InetAddress, String> deviceOf) {
        Map<String, String> devices = new LinkedHashMap<>();
        String pubDev = deviceOf.apply(ownPublic);
        if (pubDev != null) devices.put("Primary", pubDev);
        if (privatePath()) {
            String privDev = deviceOf.apply(ownPrivate);
            if (privDev != null && !privDev.equals(pubDev)) devices.put("Private", privDev);
        }
        return devices;
    }
}
