package piranha.pulse.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import piranha.pulse.exec.CommandRunner;

/**
 * {@code director_peers} on one active-active director: the watch that tells which other directors
 * are live, and the flow hand-over table that follows it. Started, reloaded and closed on the
 * director's routing thread, where each change of the live set is handled too.
 */
final class DirectorPeers {
    private static final Logger LOG = Logger.getLogger("pulse");

    private final Executor routing;
    private final CommandRunner runner;
    private final boolean testStart;
    private volatile ActiveActiveConfig cfg;
    private FlowHandover handover;
    private volatile PeerWatch watch;
    private volatile List<Inet4Address> ring = List.of();

    DirectorPeers(Executor routing, CommandRunner runner, boolean testStart) {
        this.routing = routing;
        this.runner = runner;
        this.testStart = testStart;
    }

    /** The hand-over table (at first with no other director live) and the watch; nothing without director_peers. */
    void start(ActiveActiveConfig c) {
        cfg = c;
        if (watch != null) watch.close();
        watch = null;
        if (c.peers().isEmpty()) {
            if (handover != null) handover.unload();
            ring = List.of();
            return;
        }
        if (handover == null) handover = new FlowHandover(c.birdConfig().resolveSibling("handover.nft"), runner);
        changed(Set.of());
        if (testStart) {
            LOG.info("test-start: would heartbeat director_peers " + c.otherPeers() + " on port " + c.peerPort());
            return;
        }
        try {
            watch = new PeerWatch(c.self(), c.otherPeers(), c.peerPort(), c.keepalive(), c.deadtime(), c.peerKey(),
                    live -> routing.execute(() -> changed(live))).start();
            if (c.peerKey() == null) {
                LOG.warning("director_peers: no heartbeat_key_file, the directors' datagrams are not signed:"
                        + " anyone on the LAN can say a director is alive or leaving");
            }
        } catch (IOException e) {
            LOG.severe("director_peers: cannot listen on " + c.self().getHostAddress() + ":" + c.peerPort() + ": "
                    + e.getMessage() + "; no flow hand-over: a connection the router moves here is reset");
        }
    }

    /** A new lvs.cf: the watch starts over when its settings changed, else the table follows the VIPs. */
    void reload(ActiveActiveConfig next) {
        ActiveActiveConfig old = cfg;
        if (!old.peers().equals(next.peers()) || old.peerPort() != next.peerPort() || !old.deadtime().equals(next.deadtime())
                || !old.keepalive().equals(next.keepalive()) || !Objects.equals(old.peerKey(), next.peerKey())) {
            start(next);
            return;
        }
        cfg = next;
        PeerWatch w = watch;
        if (w != null) changed(w.live());
    }

    /** The peers are told this director leaves (they drop it at once), and the table goes. */
    void close() {
        if (watch != null) watch.close();
        if (handover != null) handover.unload();
    }

    private void changed(Set<Inet4Address> live) {
        ActiveActiveConfig c = cfg;
        if (handover == null || c.self() == null) return;
        List<Inet4Address> next = FlowHandover.ring(c.self(), live);
        List<Inet4Address> vips = c.vips().stream().map(ActiveActiveConfig.Vip::address).toList();
        if (handover.load(c.self(), next, vips)) ring = next;
    }

    /** Each other director, whether it is heard, and the hand-over ring; null without director_peers. */
    JsonObject status() {
        ActiveActiveConfig c = cfg;
        if (c == null || c.peers().isEmpty()) return null;
        PeerWatch w = watch;
        Map<Inet4Address, Long> since = w == null ? Map.of() : w.sinceHeardMs();
        JsonArray list = new JsonArray();
        for (Inet4Address p : c.otherPeers()) {
            long ms = since.getOrDefault(p, -1L);
            list.add(new JsonObject().put("address", p.getHostAddress()).put("live", w != null && w.live().contains(p))
                    .put("sinceHeardMs", ms < 0 ? null : ms));
        }
        return new JsonObject().put("self", c.self().getHostAddress()).put("directors", list)
                .put("ring", new JsonArray(ring.stream().map(Inet4Address::getHostAddress).toList()));
    }
}
