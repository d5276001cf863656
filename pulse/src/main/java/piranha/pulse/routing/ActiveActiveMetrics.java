package piranha.pulse.routing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.metrics.Families;

/**
 * pulse's Prometheus metrics in {@code director_mode = active_active}, read at each scrape from the
 * status its control socket answers. The names pulse has in a pair keep their meaning here
 * (pulse_up, pulse_active, pulse_links_down, pulse_lvsd_restarts, pulse_uptime_seconds); the
 * routes, BIRD and the other directors ({@code director_peers}) have their own.
 */
final class ActiveActiveMetrics {
    private ActiveActiveMetrics() {}

    static Families of(JsonObject st) {
        Families f = new Families();
        f.gauge("pulse_up", "1: pulse runs and answers").add(1);
        f.gauge("pulse_active", "1 while this director serves its VIPs (0 once it is stopping)")
                .add("active".equals(st.getString("state")) ? 1 : 0);
        Families.Family route = f.gauge("pulse_route_announced", "1 while this director announces the VIP's route to its BGP neighbours");
        for (Object o : st.getJsonArray("routes", new JsonArray())) {
            JsonObject r = (JsonObject) o;
            route.add(Boolean.TRUE.equals(r.getBoolean("announced")) ? 1 : 0, "vip", r.getString("vip"));
        }
        f.counter("pulse_route_changes", "routes announced or withdrawn since start").add(st.getLong("routeChanges", 0L));
        JsonObject bird = st.getJsonObject("bird");
        f.gauge("pulse_bird_up", "1 while BIRD, which carries the routes, runs")
                .add(bird != null && "running".equals(bird.getString("state")) ? 1 : 0);
        f.counter("pulse_bird_restarts", "times pulse started BIRD again after it died").add(bird == null ? 0 : bird.getLong("restarts", 0L));
        Families.Family session = f.gauge("pulse_bgp_session_up", "1 while the BGP session is Established (label protocol: BIRD's name for it)");
        if (bird != null) {
            for (Object o : bird.getJsonArray("sessions", new JsonArray())) {
                JsonObject s = (JsonObject) o;
                // info is BIRD's last column, after a "since" that may be one word or two
                session.add(s.getString("info", "").endsWith("Established") ? 1 : 0, "protocol", s.getString("protocol"));
            }
        }
        JsonObject peers = st.getJsonObject("peers");
        if (peers != null) { // director_peers
            Families.Family live = f.gauge("pulse_director_peer_live", "1 while the other director is heard (director_peers)");
            for (Object o : peers.getJsonArray("directors", new JsonArray())) {
                JsonObject d = (JsonObject) o;
                live.add(Boolean.TRUE.equals(d.getBoolean("live")) ? 1 : 0, "address", d.getString("address"));
            }
            f.gauge("pulse_handover_ring_size", "directors on the flow hand-over ring, this one included (below 2: no hand-over)")
                    .add(peers.getJsonArray("ring", new JsonArray()).size());
        }
        f.gauge("pulse_links_down", "links monitor_links watches that are down").add(st.getJsonArray("linksDown", new JsonArray()).size());
        f.counter("pulse_lvsd_restarts", "times pulse restarted a failed lvsd").add(st.getLong("lvsdRestarts", 0L));
        f.gauge("pulse_uptime_seconds", "time since pulse started").add(st.getLong("uptimeMs", 0L) / 1000.0);
        return f;
    }
}
