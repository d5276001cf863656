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
    /** What each real server was at the last reply, by service name, then address and port. */
    private final Map<String, Map<Endpoint, Seen>> servers = new HashMap<>();
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

    /** A real server's identity within its service, without building a string per server and reply. */
    private record Endpoint(Object address, Object port) {
        // written out: the generated ones go through a method handle, measurably slower at 10,000 lookups per reply
        @Override
        public boolean equals(Object o) {
            return o instanceof Endpoint e && java.util.Objects.equals(address, e.address) && java.util.Objects.equals(port, e.port);
        }

        @Override
        public int hashCode() {
            return 31 * (address == null ? 0 : address.hashCode()) + (port == null ? 0 : port.hashCode());
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
        Endpoint key = new Endpoint(r.get("address"), r.get("port"));
        Seen was = seen.get(key);
        if (was == null) {
            seen.put(key, new Seen(h, o));
            return;
        }
        if (!was.health.equals(h)) {
            Object reason = r.get("reason");
            record(new Event(now, "server", "up".equals(h) ? "good" : "down".equals(h) ? "bad" : "note", h,
                    who(service, r) + " is " + h + " (was " + was.health + ")" + (reason == null ? "" : ": " + reason)));
            was.health = h;
        }
        if (!was.override.equals(o)) {
            String label = "drain".equals(o) ? "drained" : o;
            record(new Event(now, "server", "drain".equals(o) || "force-down".equals(o) ? "bad" : "note", label,
                    who(service, r) + ": operator " + o + " (was " + was.override + ")"));
            was.override = o;
        }
    }

    private static String who(String service, Map<?, ?> r) {
        return "real server " + r.get("name") + " (" + r.get("address") + ":" + r.get("port") + ") in " + service;
    }
}
