package piranha.pulse;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.metrics.Families;

/**
 * pulse's Prometheus metrics, read at each scrape from the status its control socket answers
 * (pulse/README.md, "Metrics"): one source of truth, built on the heartbeat thread as status is.
 */
final class PulseMetrics {
    private PulseMetrics() {}

    static Families of(JsonObject st) {
        Families f = new Families();
        f.gauge("pulse_up", "1: pulse runs and answers").add(1);
        f.gauge("pulse_role", "this director's role in lvs.cf (label role: primary or backup)").add(1, "role", st.getString("role"));
        boolean active = "active".equals(st.getString("state"));
        f.gauge("pulse_active", "1 while this director is active (holds the virtual addresses)").add(active ? 1 : 0);
        Families.Family state = f.gauge("pulse_state", "1 for the state this director is in");
        state.add(active ? 1 : 0, "state", "active").add(active ? 0 : 1, "state", "standby");
        Families.Family partner = f.gauge("pulse_partner_state", "1 for what the partner is as heartbeats tell (running, stopped, dead, unknown, none)");
        partner.add(1, "state", st.getString("partner"));
        Families.Family transitions = f.counter("pulse_transitions", "state changes since start, by reason");
        JsonObject byReason = st.getJsonObject("transitionsByReason", new JsonObject());
        byReason.forEach(e -> transitions.add(((Number) e.getValue()).doubleValue(), "reason", e.getKey()));
        f.counter("pulse_heartbeats_sent", "heartbeats sent, every path").add(st.getLong("sent"));
        f.counter("pulse_heartbeat_send_errors", "heartbeats the kernel refused to send").add(st.getLong("sendErrors"));
        f.counter("pulse_heartbeats_received", "heartbeats accepted from the partner").add(st.getLong("received"));
        Families.Family rejected = f.counter("pulse_heartbeats_rejected", "datagrams refused, by reason (bad signature, replay, wrong source...)");
        JsonObject rejectedBy = st.getJsonObject("rejectedBy", new JsonObject());
        for (piranha.pulse.heartbeat.Rejection r : piranha.pulse.heartbeat.Rejection.values()) {
            // every reason, 0 included: a rate over a series that appears late misses its first rejections
            String name = r.name().toLowerCase(java.util.Locale.ROOT);
            rejected.add(rejectedBy.getLong(name, 0L), "reason", name);
        }
        f.counter("pulse_heartbeats_late", "heartbeats sent later than keepalive allows").add(st.getLong("late"));
        f.gauge("pulse_heartbeat_max_late_seconds", "the latest a heartbeat was sent, since start").add(st.getLong("maxLateMs") / 1000.0);
        Families.Family age = f.gauge("pulse_last_heartbeat_age_seconds", "time since the last heartbeat accepted on each path");
        for (Object o : st.getJsonArray("paths", new JsonArray())) {
            JsonObject p = (JsonObject) o;
            if (p.getLong("lastHeartbeatAgeMs") != null) {
                age.add(p.getLong("lastHeartbeatAgeMs") / 1000.0, "path", p.getString("name"));
            }
        }
        Families.Family link = f.gauge("pulse_link_up", "1 while a link monitor_links watches is up");
        st.getJsonObject("links", new JsonObject()).forEach(e -> link.add(Boolean.TRUE.equals(e.getValue()) ? 1 : 0, "link", e.getKey()));
        f.gauge("pulse_links_down", "links monitor_links watches that are down").add(st.getJsonArray("linksDown", new JsonArray()).size());
        f.gauge("pulse_addresses_plumbed", "1 while the virtual addresses are on this director").add(Boolean.TRUE.equals(st.getBoolean("addressesPlumbed")) ? 1 : 0);
        f.counter("pulse_lvsd_restarts", "times pulse restarted a failed lvsd").add(st.getLong("lvsdRestarts"));
        f.gauge("pulse_heartbeats_authenticated", "1 when heartbeats are signed (heartbeat_key_file)").add(Boolean.TRUE.equals(st.getBoolean("authenticated")) ? 1 : 0);
        f.counter("pulse_log_lines_dropped", "log lines syslog did not take in time (never waited for)").add(st.getLong("logLinesDropped"));
        f.gauge("pulse_uptime_seconds", "time since pulse started").add(st.getLong("uptimeMs") / 1000.0);
        return f;
    }
}
