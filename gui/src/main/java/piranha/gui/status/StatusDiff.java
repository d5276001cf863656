package piranha.gui.status;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The timeline of a daemon too old to serve its event stream (it answers that it does not know
 * {@code events}): state changes derived from successive status replies. Each daemon is diffed
 * only while its stream is not there ({@code use} false forgets the baseline, so a daemon that
 * gains a stream and later loses it starts afresh); the first reply only sets the baseline.
 */
public final class StatusDiff {
    private final Timeline timeline;
    /** What each real server was at the last reply, by service name, then address and port. */
    private final Map<String, Map<Endpoint, Seen>> servers = new HashMap<>();
    private String director;
    private Object serial;

    public StatusDiff(Timeline timeline) {
        this.timeline = timeline;
    }

    /** pulse's role and state compared with its last reply. */
    public synchronized void pulse(JsonObject pulse, Instant now, boolean use) {
        if (!use) {
            director = null;
            return;
        }
        if (pulse.getValue("error") != null || pulse.getValue("state") == null) {
            return;
        }
        String d = pulse.getValue("role") + " director " + pulse.getValue("state");
        if (director != null && !director.equals(d)) {
            boolean active = "active".equals(pulse.getValue("state"));
            timeline.record(new Timeline.Event(now, "director", active ? "good" : "note", String.valueOf(pulse.getValue("state")),
                    "this " + d + " (was " + director.substring(director.lastIndexOf(' ') + 1) + ")"));
        }
        director = d;
    }

    /** lvsd's serial_no and each real server's health and override compared with its last reply. */
    public synchronized void lvsd(JsonObject lvsd, Instant now, boolean use) {
        if (!use) {
            serial = null;
            servers.clear();
            return;
        }
        if (lvsd.getValue("error") != null) {
            return;
        }
        Object s = lvsd.getValue("serial_no");
        if (serial != null && s != null && !serial.equals(s)) {
            timeline.record(new Timeline.Event(now, "reload", "good", "reloaded", "lvsd runs lvs.cf serial_no " + s + " (was " + serial + ")"));
        }
        serial = s;
        if (!(lvsd.getValue("services") instanceof JsonArray services)) {
            return;
        }
        for (Object so : services) {
            if (!(so instanceof JsonObject svc) || !(svc.getValue("servers") instanceof JsonArray list)) {
                continue;
            }
            String name = String.valueOf(svc.getValue("name"));
            Map<Endpoint, Seen> seen = this.servers.computeIfAbsent(name, k -> new HashMap<>());
            // the decoded maps themselves: JsonArray's iterator and JsonObject.getValue wrap every value
            for (Object ro : list.getList()) {
                Map<?, ?> r = ro instanceof JsonObject j ? j.getMap() : ro instanceof Map<?, ?> m ? m : null;
                if (r != null) {
                    server(name, seen, r, now);
                }
            }
        }
    }

    private static final class Seen {
        String health;
        String override;

        Seen(String health, String override) {
            this.health = health;
            this.override = override;
        }
    }

    /** At 10,000 real servers this runs 10,000 times per reply: strings are made only for an event. */
    private void server(String service, Map<Endpoint, Seen> seen, Map<?, ?> r, Instant now) {
        String h = r.get("health") instanceof String x ? x : "unknown";
        String o = r.get("override") instanceof String x ? x : "auto";
        Endpoint key = Endpoint.of(r);
        Seen was = seen.get(key);
        if (was == null) {
            seen.put(key, new Seen(h, o));
            return;
        }
        if (!was.health.equals(h)) {
            Object reason = r.get("reason");
            timeline.record(new Timeline.Event(now, "server", "up".equals(h) ? "good" : "down".equals(h) ? "bad" : "note", h,
                    who(service, r) + " is " + h + " (was " + was.health + ")" + (reason == null ? "" : ": " + reason)));
            was.health = h;
        }
        if (!was.override.equals(o)) {
            String label = "drain".equals(o) ? "drained" : o;
            timeline.record(new Timeline.Event(now, "server", "drain".equals(o) || "force-down".equals(o) ? "bad" : "note", label,
                    who(service, r) + ": operator " + o + " (was " + was.override + ")"));
            was.override = o;
        }
    }

    private static String who(String service, Map<?, ?> r) {
        return "real server " + r.get("name") + " (" + r.get("address") + ":" + r.get("port") + ") in " + service;
    }
}
