package piranha.pulse.routing;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import piranha.pulse.heartbeat.HeartbeatKey;

/**
 * Which other active-active directors are alive ({@code director_peers}): each director sends a small
 * datagram to every peer each keepalive, on {@code heartbeat_port}, and counts a peer live while one
 * was heard within deadtime. A director that stops says so ("leaving"), so the others drop it at
 * once. Only datagrams from a listed peer's address count, and with {@code heartbeat_key_file} only
 * signed ones ({@link PeerDatagram}). One thread, asleep in {@code select} between sends and arrivals.
 */
public final class PeerWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("pulse");

    /** Pure liveness: when each peer was last heard; the clock is the caller's. */
    static final class Liveness {
        private final Map<Inet4Address, Long> heardAt = new LinkedHashMap<>();
        private final long deadtimeNanos;

        Liveness(List<Inet4Address> peers, Duration deadtime) {
            for (Inet4Address p : peers) heardAt.put(p, null);
            this.deadtimeNanos = deadtime.toNanos();
        }

        /** False when the sender is not a listed peer. */
        boolean heard(Inet4Address from, boolean leaving, long now) {
            if (!heardAt.containsKey(from)) return false;
            heardAt.put(from, leaving ? null : now);
            return true;
        }

        Set<Inet4Address> live(long now) {
            Set<Inet4Address> live = new HashSet<>(); // unordered: FlowHandover.ring puts the ring in order
            heardAt.forEach((p, at) -> {
                if (at != null && now - at < deadtimeNanos) live.add(p);
            });
            return live;
        }

        /** When the next peer would be judged dead if not heard again; Long.MAX_VALUE: none live. */
        long nextExpiry(long now) {
            long next = Long.MAX_VALUE;
            for (Long at : heardAt.values()) {
                if (at != null && now - at < deadtimeNanos) next = Math.min(next, at + deadtimeNanos);
            }
            return next;
        }

        Map<Inet4Address, Long> heardAt() {
            return heardAt;
        }
    }

    private final Inet4Address self;
    private final List<Inet4Address> peers;
    private final int port;
    private final long keepaliveNanos;
    private final Liveness liveness;
    private final Consumer<Set<Inet4Address>> onChange;
    private final PeerDatagram datagrams;
    /** Peers whose datagram failed its check, said once each (a key that differs repeats every keepalive). */
    private final Set<Inet4Address> refusedSaid = new HashSet<>();
    private final DatagramChannel channel;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean closing;
    private volatile Set<Inet4Address> live = Set.of();

    /**
     * @param key      heartbeat_key_file's key: datagrams are signed and only signed ones count; null: unsigned
     * @param onChange called on the watch's thread with the live peers each time the set changes
     * @throws IOException when the port cannot be bound on {@code self}
     */
    public PeerWatch(Inet4Address self, List<Inet4Address> peers, int port, Duration keepalive, Duration deadtime,
                     HeartbeatKey key, Consumer<Set<Inet4Address>> onChange) throws IOException {
        this.self = self;
        this.peers = List.copyOf(peers);
        this.port = port;
        this.keepaliveNanos = keepalive.toNanos();
        this.liveness = new Liveness(this.peers, deadtime);
        this.onChange = onChange;
        this.datagrams = new PeerDatagram(self, key, System.currentTimeMillis());
        this.channel = DatagramChannel.open();
        try {
            channel.bind(new InetSocketAddress(self, port));
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        this.thread = new Thread(this::loop, "peers");
        thread.setDaemon(true);
    }

    public PeerWatch start() {
        thread.start();
        return this;
    }

    /** The peers heard within deadtime. */
    public Set<Inet4Address> live() {
        return live;
    }

    /** Per peer: milliseconds since it was last heard, -1 if not heard (or it left). */
    public Map<Inet4Address, Long> sinceHeardMs() {
        long now = System.nanoTime();
        Map<Inet4Address, Long> out = new LinkedHashMap<>();
        synchronized (liveness) {
            liveness.heardAt().forEach((p, at) -> out.put(p, at == null ? -1L : (now - at) / 1_000_000));
        }
        return out;
    }

    private void loop() {
        ByteBuffer in = ByteBuffer.allocate(64);
        long nextSend = System.nanoTime();
        while (!closing) {
            try {
                long now = System.nanoTime();
                if (now >= nextSend) {
                    send(0);
                    nextSend = now + keepaliveNanos;
                }
                long wake;
                synchronized (liveness) {
                    wake = Math.min(nextSend, liveness.nextExpiry(now));
                }
                long waitMs = Math.max(1, (wake - now + 999_999) / 1_000_000);
                selector.select(waitMs);
                selector.selectedKeys().clear();
                SocketAddress from;
                while ((from = channel.receive(in.clear())) != null) {
                    in.flip();
                    // the datagram's source is what counts, not the address it carries
                    if (!(((InetSocketAddress) from).getAddress() instanceof Inet4Address a) || !peers.contains(a)) continue;
                    PeerDatagram.Said said;
                    synchronized (datagrams) {
                        said = datagrams.decode(in, a);
                    }
                    if (said == null) {
                        if (refusedSaid.add(a)) {
                            LOG.warning("director_peers: a datagram from " + a.getHostAddress() + " did not pass its check ("
                                    + (datagrams.signed() ? "not signed with this director's heartbeat_key_file, or replayed"
                                            : "not the unsigned kind: is heartbeat_key_file set there and not here?") + "); said once");
                        }
                        continue;
                    }
                    synchronized (liveness) {
                        liveness.heard(a, said.leaving(), System.nanoTime());
                    }
                }
                judge();
            } catch (java.nio.channels.ClosedSelectorException e) {
                return;
            } catch (IOException e) {
                if (closing) return;
                LOG.warning("director_peers: " + e.getMessage());
                try {
                    Thread.sleep(keepaliveNanos / 1_000_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void judge() {
        Set<Inet4Address> now;
        synchronized (liveness) {
            now = Set.copyOf(liveness.live(System.nanoTime()));
        }
        if (now.equals(live)) return;
        for (Inet4Address p : peers) {
            if (now.contains(p) && !live.contains(p)) LOG.info("director " + p.getHostAddress() + " is live (director_peers)");
            if (!now.contains(p) && live.contains(p)) LOG.warning("director " + p.getHostAddress() + " is no longer heard (director_peers)");
        }
        live = now;
        onChange.accept(now);
    }

    private void send(int flags) throws IOException {
        ByteBuffer out;
        synchronized (datagrams) { // close() sends from another thread
            out = datagrams.encode(flags);
        }
        for (Inet4Address p : peers) {
            try {
                channel.send(out.rewind(), new InetSocketAddress(p, port));
            } catch (IOException e) {
                // an unreachable peer (no route, ICMP refused) is simply not heard from
            }
        }
    }

    /** Tells the peers this director leaves, and stops. */
    @Override
    public void close() {
        closing = true;
        try {
            send(PeerDatagram.LEAVING);
        } catch (IOException ignored) {
            // the peers find out after deadtime instead
        }
        try {
            selector.close();
            channel.close();
        } catch (IOException ignored) {
            // nothing held beyond the socket
        }
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
