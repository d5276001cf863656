package piranha.pulse.routing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.model.DirectorMode;
import piranha.lvscf.model.Globals;
import piranha.lvscf.model.Host;
import piranha.lvscf.model.VirtualService;
import piranha.pulse.address.LocalAddresses;
import piranha.pulse.config.PulseConfigSource.ConfigException;
import piranha.pulse.heartbeat.HeartbeatKey;

/**
 * What an active-active director needs from lvs.cf ({@code director_mode = active_active}): the VIPs
 * with the virtual services on each, the BGP session to the router(s), where BIRD's files go.
 *
 * @param vips         each distinct VIP of the active virtual services, with their names, in file order
 * @param keepalive    how often health is judged (lvs.cf's keepalive)
 * @param localAs      bgp_local_as
 * @param peerAs       bgp_peer_as
 * @param neighbors    bgp_neighbor
 * @param routerId     bgp_router_id, else the address the first neighbour is reached from; null: BIRD's choice
 * @param holdTime     bgp_hold_time in seconds
 * @param device       bgp_device: where the VIPs are added
 * @param birdConfig   bird_config
 * @param birdSocket   bird_socket
 * @param monitorLinks monitor_links != 0: a down link towards a neighbour withdraws the routes
 * @param lvsdReadyTimeout lvsd_ready_timeout: how long lvsd's start may take before it is tried again
 * @param metrics      pulse_metrics: where pulse serves Prometheus metrics ({@code Listen.OFF}: nowhere)
 * @param peers        director_peers: every director, this one included; empty: no flow hand-over
 * @param self         the address of {@code peers} that is this director's; null without peers
 * @param peerPort     heartbeat_port: where the directors hear each other
 * @param deadtime     deadtime: a peer not heard for this long is left out of the hand-over ring
 * @param peerKey      heartbeat_key_file's key: the directors' datagrams are signed with it; null: unsigned
 */
public record ActiveActiveConfig(List<Vip> vips, Duration keepalive, long localAs, long peerAs,
                                 List<Inet4Address> neighbors, Inet4Address routerId, int holdTime, String device,
                                 Path birdConfig, Path birdSocket, boolean monitorLinks,
                                 Duration lvsdReadyTimeout, piranha.lvscf.model.Listen metrics,
                                 List<Inet4Address> peers, Inet4Address self, int peerPort, Duration deadtime,
                                 HeartbeatKey peerKey) {

    /** One VIP and the names of the virtual services on it. */
    public record Vip(Inet4Address address, List<String> services) {
        public Vip {
            Objects.requireNonNull(address);
            services = List.copyOf(services);
        }

        public String text() {
            return address.getHostAddress();
        }
    }

    public ActiveActiveConfig {
        vips = List.copyOf(vips);
        neighbors = List.copyOf(neighbors);
        peers = List.copyOf(peers);
    }

    /** The other directors of director_peers. */
    public List<Inet4Address> otherPeers() {
        return peers.stream().filter(p -> !p.equals(self)).toList();
    }

    /**
     * True when lvs.cf asks for active-active directors. A file that cannot be read or has errors is
     * not: pulse's usual reading then reports them.
     */
    public static boolean requested(Path lvsCf) {
        try {
            return piranha.pulse.config.LvsCfSource.readChecked(lvsCf).config().globals().directorMode()
                    == DirectorMode.ACTIVE_ACTIVE;
        } catch (ConfigException | RuntimeException e) {
            return false;
        }
    }

    /** @throws ConfigException naming the file and, where there is one, the line */
    public static ActiveActiveConfig load(Path lvsCf) throws ConfigException {
        if (!Files.isReadable(lvsCf)) throw new ConfigException("cannot read " + lvsCf);
        LvsCfDocument doc = piranha.pulse.config.LvsCfSource.readChecked(lvsCf);
        Globals g = doc.config().globals();
        if (g.directorMode() != DirectorMode.ACTIVE_ACTIVE) {
            throw new ConfigException(lvsCf + ": director_mode is not active_active");
        }
        Map<Inet4Address, List<String>> byVip = new LinkedHashMap<>();
        for (VirtualService v : doc.config().activeVirtuals()) {
            if (v.address().isEmpty()) continue; // the validator has said so
            InetAddress a = v.address().get().address();
            if (!(a instanceof Inet4Address v4)) {
                throw new ConfigException(lvsCf + ":" + v.header().line() + ": virtual " + v.name() + ": "
                        + piranha.lvscf.model.Values.text(a) + " is IPv6: active-active directors announce IPv4 VIPs only");
            }
            byVip.computeIfAbsent(v4, k -> new ArrayList<>()).add(v.name());
        }
        if (byVip.isEmpty()) throw new ConfigException(lvsCf + ": no active lvs services defined");
        List<Vip> vips = byVip.entrySet().stream().map(e -> new Vip(e.getKey(), e.getValue())).toList();
        List<Inet4Address> neighbors = new ArrayList<>();
        for (Host h : g.bgpNeighbors()) {
            if (!(h.address() instanceof Inet4Address v4)) {
                throw new ConfigException(lvsCf + ":" + g.position("bgp_neighbor").line() + ": bgp_neighbor "
                        + h.ip() + " is IPv6: the session carries IPv4 VIP routes; give the router's IPv4 address");
            }
            neighbors.add(v4);
        }
        Inet4Address routerId = null;
        if (g.isSet("bgp_router_id")) {
            InetAddress id = ((Host) g.value("bgp_router_id")).address();
            if (!(id instanceof Inet4Address v4)) {
                throw new ConfigException(lvsCf + ":" + g.position("bgp_router_id").line()
                        + ": bgp_router_id must be an IPv4 address (BGP's router id is 32 bits)");
            }
            routerId = v4;
        } else {
            routerId = sourceTowards(neighbors.get(0));
        }
        List<Inet4Address> peers = new ArrayList<>();
        for (Host h : g.directorPeers()) peers.add((Inet4Address) h.address()); // the validator has refused IPv6
        Inet4Address self = null;
        if (!peers.isEmpty()) {
            List<InetAddress> local = localAddresses(lvsCf);
            self = peers.stream().filter(local::contains).findFirst().orElseThrow(() -> new ConfigException(
                    lvsCf + ":" + g.position("director_peers").line() + ": director_peers: none of "
                            + String.join(", ", peers.stream().map(Inet4Address::getHostAddress).toList())
                            + " is an address of this director; list every director, this one included"));
        }
        HeartbeatKey key = null;
        if (!peers.isEmpty() && g.isSet("heartbeat_key_file")) {
            try {
                key = HeartbeatKey.load(Path.of((String) g.value("heartbeat_key_file")));
            } catch (IOException e) {
                throw new ConfigException(lvsCf + ":" + g.position("heartbeat_key_file").line() + ": " + e.getMessage());
            }
        }
        return new ActiveActiveConfig(vips, g.keepalive(), (Long) g.value("bgp_local_as"), (Long) g.value("bgp_peer_as"),
                neighbors, routerId, (Integer) g.value("bgp_hold_time"), (String) g.value("bgp_device"),
                Path.of((String) g.value("bird_config")), Path.of((String) g.value("bird_socket")), g.monitorLinks(),
                (Duration) g.value("lvsd_ready_timeout"), g.pulseMetrics(), peers, self, g.heartbeatPort(), g.deadtime(),
                key);
    }

    private static List<InetAddress> localAddresses(Path lvsCf) throws ConfigException {
        try {
            return LocalAddresses.all();
        } catch (SocketException e) {
            throw new ConfigException(lvsCf + ": director_peers: cannot list this host's addresses: " + e.getMessage());
        }
    }

    /** The local address the kernel would send from towards a neighbour (no packet is sent); null if none. */
    public static Inet4Address sourceTowards(Inet4Address neighbor) {
        try (DatagramSocket s = new DatagramSocket()) {
            s.connect(new InetSocketAddress(neighbor, 179));
            return s.getLocalAddress() instanceof Inet4Address v4 && !v4.isAnyLocalAddress() ? v4 : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
