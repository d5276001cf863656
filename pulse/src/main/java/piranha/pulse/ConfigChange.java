package piranha.pulse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import piranha.pulse.address.AddressPlan;
import piranha.pulse.config.PulseConfig;

/**
 * What a SIGHUP's lvs.cf changes for this node against the running configuration, part by part, so
 * each part is applied by the one that owns it.
 *
 * @param role      primary/backup, or whether there is a backup at all: the failover machine judges again
 * @param heartbeat our or the partner's heartbeat addresses, or the port: the sockets are bound anew
 * @param key       heartbeat_key_file named another file
 * @param timing    keepalive, deadtime or giveback_delay
 * @param addresses the floating addresses (VIPs, NAT router): moved on the active node
 * @param links     monitor_links or the devices it watches: the link monitor starts again
 */
record ConfigChange(boolean role, boolean heartbeat, boolean key, boolean timing, boolean addresses, boolean links) {

    static ConfigChange between(PulseConfig oldCfg, Node oldNode, PulseConfig newCfg, Node newNode) {
        boolean role = oldNode.primary() != newNode.primary() || oldNode.hasBackup() != newNode.hasBackup();
        boolean heartbeat = !oldNode.heartbeatPaths().equals(newNode.heartbeatPaths())
                || oldNode.heartbeatPort() != newNode.heartbeatPort();
        boolean key = !Objects.equals(oldCfg.extensions().heartbeatKeyFile(), newCfg.extensions().heartbeatKeyFile());
        boolean timing = !oldCfg.keepalive().equals(newCfg.keepalive()) || !oldCfg.deadtime().equals(newCfg.deadtime())
                || !Objects.equals(oldCfg.extensions().givebackDelay(), newCfg.extensions().givebackDelay());
        boolean addresses = !AddressPlan.of(oldCfg).equals(AddressPlan.of(newCfg));
        boolean links = oldCfg.monitorLinks() != newCfg.monitorLinks() || oldNode.hasBackup() != newNode.hasBackup()
                || !Objects.equals(oldNode.ownPublic(), newNode.ownPublic())
                || !Objects.equals(oldNode.ownPrivate(), newNode.ownPrivate());
        return new ConfigChange(role, heartbeat, key, timing, addresses, links);
    }

    /** "role, heartbeat, addresses" — or "nothing pulse uses" — for the reload's log line. */
    String describe() {
        List<String> parts = parts();
        return parts.isEmpty() ? "nothing pulse uses" : String.join(", ", parts);
    }

    /** The parts that changed, in the words of {@link #describe}; empty when none did. */
    List<String> parts() {
        List<String> parts = new ArrayList<>();
        if (role) parts.add("role");
        if (heartbeat) parts.add("heartbeat addresses/port");
        if (key) parts.add("heartbeat key");
        if (timing) parts.add("timing");
        if (addresses) parts.add("addresses");
        if (links) parts.add("link monitoring");
        return parts;
    }
}
