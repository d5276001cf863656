package piranha.pulse.heartbeat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import piranha.pulse.heartbeat.HeartbeatLoop.Path;
import piranha.pulse.state.PeerState;

/**
 * The heartbeat paths (public and private): one UDP socket each, registered with the heartbeat
 * thread's selector, and what each path has heard. Kept apart from the loop so the loop is only the
 * schedule (sends, deadlines, mailbox); the sockets, their rebinding on SIGHUP and the per-path
 * silence are here. Heartbeat-thread only, like the loop that owns it.
 */
final class HeartbeatPaths {
    private static final Logger LOG = Logger.getLogger("pulse");

    private final Selector selector;
    /** The loop's log (queued for the heartbeat-log thread): this class never writes a line itself. */
    private final BiConsumer<Level, String> log;
    private final List<DatagramChannel> channels = new ArrayList<>();
    private List<Path> paths = List.of();
    /** When a heartbeat was last accepted on each path (index of {@link #paths}), monotonic ns; -1: never. */
    private long[] lastAcceptedNanos = new long[0];
    /**
     * Per path: silent for deadtime while the partner is heard on another path. Logged once each
     * way and shown in the status; never a failover (the partner is alive).
     */
    private boolean[] pathSilent = new boolean[0];
    /** When the sockets were bound (monotonic ns): a path never heard is silent from then. */
    private long boundNanos;
    private int port;
    private Set<InetAddress> partnerAddresses = Set.of();
    /** Each path with a partner: its socket and where its heartbeats go (none while closed). */
    private List<Destination> destinations = List.of();

    private record Destination(DatagramChannel channel, InetSocketAddress partner) {}

    HeartbeatPaths(Selector selector, BiConsumer<Level, String> log) {
        this.selector = selector;
        this.log = log;
    }

    void bind(List<Path> newPaths, int newPort) throws IOException {
        try {
            for (Path p : newPaths) {
                DatagramChannel ch = DatagramChannel.open(p.local() instanceof java.net.Inet6Address
                        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
                channels.add(ch);
                ch.bind(new InetSocketAddress(p.local(), newPort));
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ, p);
            }
        } catch (IOException e) {
            close();
            throw new IOException("cannot bind the heartbeat socket to port " + newPort + " (running as root?): "
                    + e.getMessage(), e);
        }
        paths = newPaths;
        lastAcceptedNanos = new long[newPaths.size()];
        Arrays.fill(lastAcceptedNanos, -1);
        pathSilent = new boolean[newPaths.size()];
        boundNanos = System.nanoTime();
        port = newPort;
        partnerAddresses = Set.copyOf(newPaths.stream().map(Path::partner).filter(a -> a != null).toList());
        List<Destination> to = new ArrayList<>();
        for (int i = 0; i < newPaths.size(); i++) {
            InetAddress partner = newPaths.get(i).partner();
            if (partner != null) to.add(new Destination(channels.get(i), new InetSocketAddress(partner, newPort)));
        }
        destinations = List.copyOf(to);
    }

    /**
     * SIGHUP: the sockets bound anew, only when the paths or the port changed. When the new ones
     * cannot be bound the old ones are bound again and the new ones' failure is thrown.
     *
     * @return true when the sockets were bound anew
     */
    boolean rebind(List<Path> newPaths, int newPort) throws IOException {
        if (List.copyOf(newPaths).equals(paths) && newPort == port) return false;
        List<Path> oldPaths = paths;
        int oldPort = port;
        close();
        try {
            bind(List.copyOf(newPaths), newPort);
        } catch (IOException e) {
            try {
                bind(oldPaths, oldPort);
            } catch (IOException again) {
                log.accept(Level.SEVERE, "heartbeat: cannot bind the old sockets again: " + again.getMessage());
            }
            throw e;
        }
        return true;
    }

    /** Closes the sockets; the selector forgets them at once, which releases their ports. */
    void close() {
        for (DatagramChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing
            }
        }
        channels.clear();
        destinations = List.of();
        try {
            selector.selectNow(); // deregisters the closed channels, which releases their ports
        } catch (IOException | java.nio.channels.ClosedSelectorException ignored) {
            // closing
        }
    }

    /** Sends state on every path with a partner; each datagram is encoded separately (own sequence number). */
    void send(HeartbeatCodec codec, PeerState state, HeartbeatCounters counters) {
        for (Destination d : destinations) {
            try {
                d.channel().send(codec.encode(state), d.partner());
                counters.sent++;
            } catch (IOException e) {
                counters.sendErrors++;
                if (LOG.isLoggable(Level.FINE)) {
                    log.accept(Level.FINE, "heartbeat to " + d.partner().getAddress().getHostAddress() + " failed: "
                            + e.getMessage());
                }
            }
        }
    }

    /**
     * The next {@code rounds} heartbeats announcing state, signed now for the understudy to send if this
     * thread cannot (one datagram per path with a partner in each round).
     */
    List<List<Understudy.Datagram>> signAhead(HeartbeatCodec codec, PeerState state, int rounds) {
        List<List<Understudy.Datagram>> ahead = new ArrayList<>(rounds);
        for (int r = 0; r < rounds; r++) {
            List<Understudy.Datagram> round = new ArrayList<>(destinations.size());
            for (Destination d : destinations) round.add(new Understudy.Datagram(d.channel(), d.partner(), codec.encode(state)));
            ahead.add(List.copyOf(round));
        }
        return List.copyOf(ahead);
    }

    /** Only the partner's addresses (either path) may speak to us; anything else is WRONG_SOURCE. */
    boolean fromPartner(InetAddress source) {
        return partnerAddresses.contains(source);
    }

    /** A heartbeat accepted on ch's path: the path is heard now (and, if it was silent, restored). */
    void accepted(DatagramChannel ch, long deadtimeNanos) {
        int path = channels.indexOf(ch);
        if (path >= 0 && path < lastAcceptedNanos.length) {
            lastAcceptedNanos[path] = System.nanoTime();
            if (pathSilent[path]) judge(lastAcceptedNanos[path], deadtimeNanos);
        }
    }

    /**
     * With two paths (public and private): a path silent for deadtime while the partner is heard on the
     * other is logged once and shown in the status, and logged again when it carries heartbeats again.
     * The partner is dead only when every path is silent (the machine's deadline: any accepted
     * heartbeat feeds it), so one lost path never causes a failover.
     */
    void judge(long now, long deadtime) {
        if (paths.size() < 2) return;
        int heardOn = -1;
        for (int i = 0; i < paths.size(); i++) {
            if (lastAcceptedNanos[i] >= 0 && now - lastAcceptedNanos[i] < deadtime) heardOn = i;
        }
        for (int i = 0; i < paths.size(); i++) {
            long since = lastAcceptedNanos[i] >= 0 ? lastAcceptedNanos[i] : boundNanos;
            boolean silent = now - since >= deadtime;
            Path p = paths.get(i);
            if (silent && !pathSilent[i] && heardOn >= 0 && p.partner() != null) {
                pathSilent[i] = true;
                log.accept(Level.WARNING, "heartbeat path " + p.name() + " to " + p.partner().getHostAddress()
                        + " silent for deadtime; partner still heard on the " + paths.get(heardOn).name() + " path");
            } else if (!silent && pathSilent[i]) {
                pathSilent[i] = false;
                log.accept(Level.INFO, "heartbeat path " + p.name() + " to " + p.partner().getHostAddress() + " restored");
            }
        }
    }

    /** The paths silent for deadtime while the partner is heard on another. */
    List<String> silent() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size() && i < pathSilent.length; i++) if (pathSilent[i]) out.add(paths.get(i).name());
        return out;
    }

    /** Per path name, when its last heartbeat was accepted (monotonic ns, -1: never). */
    Map<String, Long> lastAcceptedByPath() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < paths.size() && i < lastAcceptedNanos.length; i++) m.put(paths.get(i).name(), lastAcceptedNanos[i]);
        return m;
    }

    List<Path> paths() {
        return paths;
    }
}
