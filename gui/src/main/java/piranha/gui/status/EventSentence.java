package piranha.gui.status;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One event of pulse's or lvsd's stream (pulse/README.md and lvsd/README.md, "Events") as a
 * timeline entry: a sentence an operator reads without knowing the stream's fields, the kind the
 * page's filter goes by, and a tone. A kind this version does not know still shows, with its
 * fields as {@code lvsadm events} prints them.
 */
public final class EventSentence {
    /** Changes or errors named in a sentence at most; a reload of a large director lists hundreds. */
    static final int LISTED = 5;

    private EventSentence() {}

    public static Timeline.Event of(JsonObject e) {
        Instant at = time(e.getValue("time"));
        String source = text(e, "source");
        String kind = text(e, "kind");
        return switch (source + " " + kind) {
            case "pulse director" -> director(at, e);
            case "pulse link" -> link(at, e);
            case "pulse failover_service" -> failover(at, e);
            case "pulse lvsd" -> lvsdProcess(at, e);
            case "pulse reload", "lvsd reload" -> reload(at, source, e);
            case "lvsd real_server" -> realServer(at, e);
            case "lvsd operator" -> operator(at, e);
            default -> other(at, source, kind, e);
        };
    }

    private static Timeline.Event director(Instant at, JsonObject e) {
        boolean active = "active".equals(e.getValue("state"));
        return new Timeline.Event(at, "director", active ? "good" : "note", text(e, "state"),
                "this " + text(e, "role") + " director became " + text(e, "state") + reason(e));
    }

    private static Timeline.Event link(Instant at, JsonObject e) {
        boolean up = "up".equals(e.getValue("state"));
        return new Timeline.Event(at, "director", up ? "good" : "bad", "link " + text(e, "state"),
                "the " + text(e, "link") + " link is " + (up ? "up again" : "down"));
    }

    private static Timeline.Event failover(Instant at, JsonObject e) {
        String health = text(e, "health");
        String tone = "up".equals(health) ? "good" : "down".equals(health) || "failed".equals(health) ? "bad" : "note";
        return new Timeline.Event(at, "failover", tone, health, "failover service " + text(e, "service") + " is " + health
                + (e.getValue("role") == null ? "" : ", this director " + text(e, "role")) + reason(e));
    }

    private static Timeline.Event lvsdProcess(Instant at, JsonObject e) {
        if ("restarted".equals(e.getValue("state"))) {
            return new Timeline.Event(at, "daemon", "good", "lvsd restarted",
                    "pulse started lvsd again" + (e.getValue("pid") == null ? "" : " (pid " + e.getValue("pid") + ")"));
        }
        return new Timeline.Event(at, "daemon", "bad", "lvsd " + text(e, "state"),
                "lvsd " + text(e, "state") + (e.getValue("how") == null ? "" : ": " + e.getValue("how")));
    }

    /** pulse's: {@code changes} or {@code errors}; lvsd's: {@code serial_no} and {@code changes}, or {@code error}. */
    private static Timeline.Event reload(Instant at, String source, JsonObject e) {
        if (Boolean.TRUE.equals(e.getValue("applied"))) {
            List<Object> changes = list(e.getValue("changes"));
            String runs = e.getValue("serial_no") == null ? "" : "; runs serial_no " + e.getValue("serial_no");
            return new Timeline.Event(at, "reload", "good", "reloaded", source + " reloaded lvs.cf" + runs + "; "
                    + (changes.isEmpty() ? "nothing it uses changed" : "changed: " + listed(changes)));
        }
        List<Object> errors = e.getValue("error") != null ? List.of(e.getValue("error")) : list(e.getValue("errors"));
        return new Timeline.Event(at, "reload", "bad", "refused", source + " refused lvs.cf and keeps the running one"
                + (errors.isEmpty() ? "" : ": " + listed(errors)));
    }

    private static Timeline.Event realServer(Instant at, JsonObject e) {
        String health = text(e, "health");
        String tone = "up".equals(health) ? "good" : "down".equals(health) ? "bad" : "note";
        String weight = "up".equals(health) || e.getValue("weight") == null ? "" : " (weight " + e.getValue("weight") + ")";
        return new Timeline.Event(at, "server", tone, health, server(e) + " is " + health + weight
                + (e.getValue("reason") == null ? "" : ": " + e.getValue("reason")));
    }

    private static Timeline.Event operator(Instant at, JsonObject e) {
        String action = text(e, "action");
        String label = switch (action) {
            case "drain" -> "drained";
            case "force-down" -> "forced down";
            case "force-up" -> "forced up";
            default -> action;
        };
        String tone = "drain".equals(action) || "force-down".equals(action) ? "bad" : "note";
        String what = "auto".equals(action) ? "follows its health checks again" : "is " + label + " by the operator";
        return new Timeline.Event(at, "server", tone, label, server(e) + " " + what
                + (e.getValue("who") == null ? "" : " (" + e.getValue("who") + ")")
                + (e.getValue("reason") == null ? "" : ": " + e.getValue("reason"))
                + (Boolean.TRUE.equals(e.getValue("restored")) ? "; restored when lvsd started" : ""));
    }

    private static Timeline.Event other(Instant at, String source, String kind, JsonObject e) {
        StringBuilder sb = new StringBuilder(source).append(' ').append(kind);
        for (var f : e) {
            if (!List.of("seq", "time", "kind", "source").contains(f.getKey()) && f.getValue() != null) {
                sb.append(' ').append(f.getKey()).append('=').append(f.getValue());
            }
        }
        return new Timeline.Event(at, "daemon", "note", kind, sb.toString());
    }

    private static String server(JsonObject e) {
        return "real server " + (e.getValue("name") == null ? "" : e.getValue("name") + " ") + "(" + text(e, "server") + ") in "
                + text(e, "service");
    }

    private static String reason(JsonObject e) {
        return e.getValue("reason") == null || e.getValue("reason").toString().isBlank() ? "" : ": " + e.getValue("reason");
    }

    private static String listed(List<Object> items) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(LISTED, items.size()); i++) {
            sb.append(i == 0 ? "" : "; ").append(items.get(i));
        }
        if (items.size() > LISTED) {
            sb.append(" and ").append(items.size() - LISTED).append(" more");
        }
        return sb.toString();
    }

    private static List<Object> list(Object o) {
        return o instanceof JsonArray a ? a.getList() : o == null ? List.of() : List.of(o);
    }

    private static String text(JsonObject e, String key) {
        Object v = e.getValue(key);
        return v == null ? "?" : v.toString();
    }

    /** The event's own time; one that cannot be read is taken as now (the event still shows). */
    private static Instant time(Object t) {
        try {
            return t instanceof String s ? Instant.parse(s) : Instant.now();
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
