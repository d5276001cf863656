package piranha.gui.status;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The event timeline of CONTROL/MONITORING: director transitions, real servers going up, down or
 * drained, reloads applied or refused, newest first, the last {@link #CAPACITY} kept in memory.
 * The daemons have no event stream the GUI reads yet, so state changes are derived from the
 * successive status replies the GUI fetches ({@link #observe}); {@link #record} is the one way in
 * for anything else (APPLY's outcome now, a daemon's event stream later).
 */
public final class Timeline {
    public static final int CAPACITY = 1000;

    /** {@code kind}: director, server or reload (the filter's choices); {@code tone}: good, bad or note. */
    public record Event(Instant at, String kind, String tone, String label, String text) {}

    private final Deque<Event> events = new ArrayDeque<>();
    private final Map<String, String> health = new HashMap<>();
    private final Map<String, String> override = new HashMap<>();
    private String director;
    private Object serial;

    public synchronized void record(Event e) {
        events.addFirst(e);
        while (events.size() > CAPACITY) {
            events.removeLast();
        }
    }

    public synchronized List<Event> newestFirst(int limit) {
        List<Event> out = new ArrayList<>(Math.min(limit, events.size()));
        for (Iterator<Event> i = events.iterator(); i.hasNext() && out.size() < limit;) {
            out.add(i.next());
        }
        return out;
    }

    /** Compares one pair of status replies with the last; the first only sets the baseline. */
    public synchronized void observe(JsonObject pulse, JsonObject lvsd, Instant now) {
        if (pulse.getValue("error") == null && pulse.getValue("state") != null) {
            String d = pulse.getValue("role") + " director " + pulse.getValue("state");
            if (director != null && !director.equals(d)) {
                boolean active = "active".equals(pulse.getValue("state"));
                record(new Event(now, "director", active ? "good" : "note", String.valueOf(pulse.getValue("state")),
                        "this " + d + " (was " + director.substring(director.lastIndexOf(' ') + 1) + ")"));
            }
            director = d;
        }
        if (lvsd.getValue("error") != null) {
            return;
        }
        Object s = lvsd.getValue("serial_no");
        if (serial != null && s != null && !serial.equals(s)) {
            record(new Event(now, "reload", "good", "reloaded", "lvsd runs lvs.cf serial_no " + s + " (was " + serial + ")"));
        }
        serial = s;
        if (!(lvsd.getValue("services") instanceof JsonArray services)) {
            return;
        }
        for (Object so : services) {
            if (!(so instanceof JsonObject svc) || !(svc.getValue("servers") instanceof JsonArray servers)) {
                continue;
            }
            for (Object ro : servers) {
                if (ro instanceof JsonObject r) {
                    server(svc.getValue("name") + "", r, now);
                }
            }
        }
    }

    private void server(String service, JsonObject r, Instant now) {
        String endpoint = r.getValue("address") + ":" + r.getValue("port");
        String key = service + " " + endpoint;
        String who = "real server " + r.getValue("name") + " (" + endpoint + ") in " + service;
        String h = r.getValue("health") instanceof String x ? x : "unknown";
        String was = health.put(key, h);
        if (was != null && !was.equals(h)) {
            Object reason = r.getValue("reason");
            record(new Event(now, "server", "up".equals(h) ? "good" : "down".equals(h) ? "bad" : "note", h,
                    who + " is " + h + " (was " + was + ")" + (reason == null ? "" : ": " + reason)));
        }
        String o = r.getValue("override") instanceof String x ? x : "auto";
        String wasO = override.put(key, o);
        if (wasO != null && !wasO.equals(o)) {
            String label = "drain".equals(o) ? "drained" : o;
            record(new Event(now, "server", "drain".equals(o) || "force-down".equals(o) ? "bad" : "note", label,
                    who + ": operator " + o + " (was " + wasO + ")"));
        }
    }
}
