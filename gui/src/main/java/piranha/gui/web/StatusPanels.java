package piranha.gui.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.gui.status.Processes;
import piranha.gui.status.Timeline;

/**
 * The CONTROL/MONITORING panels (daemon status, the table like {@code ipvsadm -L -n} with each real
 * server's health, the director's processes), written straight from pulse's and lvsd's status
 * replies. This is the one part of the GUI whose size grows with the director (10,000 real
 * servers, 10,000 rows, re-sent on every live update), so it is not a FreeMarker template: no
 * model is built, each row is appended once, and a row carries little markup (a class and the
 * column position do the styling; optional end tags are left out). Every value goes through
 * {@link #text}. A daemon that leaves a field out gets an empty cell, not a broken page.
 */
public final class StatusPanels {
    /**
     * Column 1 is the radio button of a real server's row; the styles count on the order. Ten columns
     * that fit a 1280-pixel window: the counters share a cell, and the reason wraps.
     */
    private static final String HEADER = "<thead><tr><th></th><th>Prot LocalAddress:Port Scheduler<br>-&gt; RemoteAddress:Port</th>"
            + "<th>Health</th><th>Override</th><th>Weight</th><th>Conns active / inactive / total</th>"
            + "<th>Bytes in / out</th><th>Last check</th><th>Latency</th><th>Reason</th></tr></thead>\n";
    static final int COLUMNS = 10;

    private StatusPanels() {}

    /** Where the panels go in the page; anything from a daemon or lvs.cf is escaped, so it cannot be this. */
    private static final String PANELS_HERE = "<!--panels-->";

    /**
     * The CONTROL/MONITORING page ({@code control.ftlh} with {@code model}) around the panels, which
     * are copied in once as bytes: at 10,000 real servers they are megabytes, and passing them
     * through the template would copy and scan them again.
     */
    public static Buffer page(Templates templates, Map<String, Object> model, Buffer panels) {
        model.put("panels", PANELS_HERE);
        String page = templates.render("control", model);
        int at = page.indexOf(PANELS_HERE);
        return Buffer.buffer(page.length() + panels.length()).appendString(page.substring(0, at)).appendBuffer(panels)
                .appendString(page.substring(at + PANELS_HERE.length()));
    }

    /**
     * Sends the page as {@link #page} makes it, without copying the panels once more: the part of
     * the page before them, the panels' own bytes, the rest.
     */
    static void send(io.vertx.core.http.HttpServerResponse res, Templates templates, Map<String, Object> model, Buffer panels) {
        model.put("panels", PANELS_HERE);
        String page = templates.render("control", model);
        int at = page.indexOf(PANELS_HERE);
        Buffer head = Buffer.buffer(page.substring(0, at));
        Buffer tail = Buffer.buffer(page.substring(at + PANELS_HERE.length()));
        res.setStatusCode(200).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Content-Length", Integer.toString(head.length() + panels.length() + tail.length()));
        res.write(head);
        res.write(panels);
        res.end(tail);
    }

    public static String render(JsonObject pulse, JsonObject lvsd, List<Processes.Proc> procs) {
        return render(pulse, lvsd, procs, List.of());
    }

    /** The panels with the event timeline (newest first) after the routing table. */
    public static String render(JsonObject pulse, JsonObject lvsd, List<Processes.Proc> procs, List<Timeline.Event> events) {
        StringBuilder out = new StringBuilder(16384 + 380 * servers(lvsd) + 160 * events.size()); // a row is about 350 characters: no regrowth
        long now = System.currentTimeMillis();
        daemons(out, pulse, lvsd);
        if (RoutesPanel.applies(pulse)) {
            RoutesPanel.render(out, pulse);
        } else if (GroupsPanel.applies(pulse)) {
            GroupsPanel.render(out, pulse);
        } else {
            DirectorsPanel.render(out, pulse, lvsd);
        }
        FailoverPanel.render(out, pulse);
        table(out, lvsd, now);
        timeline(out, events);
        processes(out, procs);
        return out.toString();
    }

    /** Each event as a list item: its kind for the filter, its tone for the symbol, a word and the sentence. */
    private static void timeline(StringBuilder out, List<Timeline.Event> events) {
        out.append("<section class=\"events\">\n<h3>Events</h3>\n<ul id=\"timeline\" tabindex=\"0\" aria-label=\"Events, newest first\">\n");
        for (Timeline.Event e : events) {
            out.append("<li class=\"").append(e.tone()).append("\" data-kind=\"").append(e.kind()).append("\"><time datetime=\"")
                    .append(e.at()).append("\">").append(StatusTimes.AT.format(e.at())).append("</time><span class=\"kind\">");
            text(out, e.label()).append("</span><span>");
            text(out, e.text()).append("</span></li>\n");
        }
        if (events.isEmpty()) {
            out.append("<li class=\"note\" data-kind=\"none\"><span></span><span class=\"kind\">none</span>"
                    + "<span>no change seen since the configuration tool started</span></li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    private static int servers(JsonObject lvsd) {
        int n = 0;
        for (Object s : array(lvsd.getValue("services"))) {
            n += array(obj(s).getValue("servers")).size();
        }
        return n;
    }

    private static void daemons(StringBuilder out, JsonObject pulse, JsonObject lvsd) {
        out.append("<section class=\"daemons\">\n<h3>Daemon status</h3>\n<table class=\"status\">\n");
        out.append("<tr><th>pulse</th><td id=\"pulse-state\">");
        if (pulse.getValue("error") != null) {
            error(out, pulse.getValue("error"));
        } else if (RoutesPanel.applies(pulse)) {
            RoutesPanel.daemonLine(out, pulse);
        } else if (GroupsPanel.applies(pulse)) {
            GroupsPanel.daemonLine(out, pulse);
        } else {
            text(out, pulse.getValue("role")).append(" director, <strong>");
            text(out, pulse.getValue("state")).append("</strong> since ");
            text(out, StatusTimes.when(pulse.getValue("since"))).append(" (pid ");
            text(out, pulse.getValue("pid")).append(")");
            if ("none".equals(pulse.getValue("partner"))) {
                out.append("; no partner configured");
            } else {
                text(out.append("; partner "), pulse.getValue("partner"));
                if (pulse.getValue("lastHeartbeatAgeMs") instanceof Number age) {
                    text(out.append(", last heartbeat "), age).append(" ms ago");
                } else {
                    out.append(", no heartbeat yet");
                }
                text(out.append("; heartbeats "), pulse.getValue("sent")).append(" sent, ");
                text(out, pulse.getValue("received")).append(" received, ");
                text(out, pulse.getValue("rejected")).append(" rejected");
            }
            if (pulse.getValue("lvsdRestarts") instanceof Number n && n.longValue() > 0) {
                text(out.append("; lvsd restarted "), n).append(n.longValue() == 1 ? " time" : " times");
            }
            JsonArray inhibit = array(pulse.getValue("inhibit"));
            if (!inhibit.isEmpty()) {
                out.append("; inhibited: ");
                for (int i = 0; i < inhibit.size(); i++) {
                    text(out.append(i > 0 ? ", " : ""), inhibit.getValue(i));
                }
            }
        }
        out.append("</td></tr>\n<tr><th>lvsd</th><td id=\"lvsd-state\">");
        if (lvsd.getValue("error") != null) {
            error(out, lvsd.getValue("error"));
        } else {
            out.append(Boolean.TRUE.equals(lvsd.getValue("ready")) ? "ready" : "starting").append(" since ");
            text(out, StatusTimes.when(lvsd.getValue("since"))).append(" (pid ");
            text(out, lvsd.getValue("pid")).append(", backend ");
            text(out, lvsd.getValue("backend")).append(", serial_no ");
            text(out, lvsd.getValue("serial_no")).append(')');
        }
        out.append("</td></tr>\n</table>\n</section>\n");
    }

    private static void table(StringBuilder out, JsonObject lvsd, long now) {
        // lvsd's checks of 10,000 real servers fall within a few thousand distinct seconds: each is formatted once
        Map<Long, String> times = new java.util.HashMap<>();
        out.append("<section class=\"table\">\n<h3>Current LVS routing table</h3>\n<table class=\"ipvs\" id=\"ipvs\">\n")
                .append(HEADER).append("<tbody>\n");
        for (Object so : array(lvsd.getValue("services"))) {
            JsonObject s = obj(so);
            String name = str(s.getValue("name"));
            out.append("<tr class=\"service\"><td colspan=\"").append(COLUMNS).append("\">");
            Object ipvs = s.getValue("ipvs");
            if (ipvs != null) {
                text(out, ipvs);
            } else {
                text(out, str(s.getValue("protocol")).toUpperCase(Locale.ROOT)).append(' ');
                text(out, s.getValue("address")).append(':');
                text(out, s.getValue("port"));
            }
            text(out.append(' '), s.getValue("scheduler"));
            if (s.getValue("persistent") instanceof Number n && n.longValue() > 0) {
                out.append(" persistent ").append(n);
            }
            text(out.append(" <i>("), name).append(")</i>");
            if (Boolean.TRUE.equals(s.getValue("sorry_active"))) {
                text(out.append(" <strong>sorry server "), s.getValue("sorry_server")).append(" in use</strong>");
            }
            out.append('\n');
            String escapedName = escaped(name);
            for (Object ro : array(s.getValue("servers")).getList()) {
                server(out, escapedName, ro instanceof JsonObject j ? j.getMap() : ro instanceof Map<?, ?> m ? m : Map.of(), now, times);
            }
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    /**
     * {@code service} is escaped already; {@code r} is the decoded map itself: JsonObject.getValue would
     * wrap every value on the way out. A field lvsd leaves out stays an empty cell (the operator journey
     * test looks for them); one it sends as null before the first check says so.
     */
    private static void server(StringBuilder out, String service, Map<?, ?> r, long now, Map<Long, String> times) {
        String endpoint = escaped(str(r.get("address")) + ":" + str(r.get("port")));
        String health = str(r.get("health"));
        String healthClass = switch (health) {
            case "up", "down", "quiesced" -> health;
            default -> "unknown";
        };
        boolean checked = !(r.get("checks") instanceof Number n) || n.longValue() > 0;
        out.append("<tr class=\"").append(healthClass).append("\" id=\"rs-");
        out.append(service).append('-').append(endpoint).append("\"><td><input type=\"radio\" name=\"target\" aria-label=\"").append(endpoint)
                .append("\" value=\"").append(service).append(' ').append(endpoint).append("\"><td>-&gt; ").append(endpoint).append(" <i>");
        text(out, r.get("name")).append("</i><td>");
        text(out, health.isEmpty() ? "unknown" : health).append("<td>");
        text(out, r.get("override")).append("<td>");
        Object weight = r.get("weight");
        Object configured = r.get("configured_weight");
        text(out, weight);
        if (configured != null && !configured.toString().equals(str(weight))) {
            text(out.append(" (of "), configured).append(')');
        }
        text(out.append("<td>"), r.get("active_conns")).append(" / ");
        text(out, r.get("inactive_conns")).append(" / ");
        text(out, r.get("conns"));
        text(out.append("<td>"), r.get("bytes_in")).append(" / ");
        text(out, r.get("bytes_out"));
        out.append("<td>");
        Object last = r.get("last_check");
        if (last instanceof String iso) {
            long at = StatusTimes.epochMillis(iso);
            if (at != Long.MIN_VALUE) {
                long ago = Math.max(0, now - at);
                out.append("<span title=\"").append(StatusTimes.local(at / 1000, times)).append("\">").append(ago / 1000).append(" s ago</span>");
            } else {
                text(out, iso);
            }
        } else if (r.containsKey("last_check") && !checked) {
            out.append("not yet");
        }
        lastCheck(out, r);
        out.append("<td>");
        if (r.get("latency_ms") instanceof Number n) {
            out.append(Math.round(n.doubleValue() * 10) / 10.0).append(" ms");
        } else if (r.containsKey("latency_ms") && !checked) {
            out.append("-");
        }
        out.append("<td class=\"reason\">");
        if (r.get("reason") != null || checked) {
            text(out, r.get("reason"));
        } else {
            out.append("not checked yet");
        }
        out.append('\n');
    }

    /** The check's kind and protocol code ("http 500"), its certificate's end, and the probe's sharing. */
    private static void lastCheck(StringBuilder out, Map<?, ?> r) {
        if (r.get("check") == null) {
            return;
        }
        text(out.append(r.get("last_check") == null ? "" : " "), r.get("check"));
        if (r.get("check_code") != null) {
            text(out.append(' '), r.get("check_code"));
        }
        if (r.get("cert_expires") != null) {
            text(out.append(", certificate valid until "), r.get("cert_expires"));
        }
        if (r.get("probe_users") instanceof Number n && n.intValue() > 1) {
            out.append(", probe shared by ").append(n.intValue());
        }
    }

    private static void processes(StringBuilder out, List<Processes.Proc> procs) {
        out.append("<section class=\"processes\">\n<h3>Current LVS processes</h3>\n<table class=\"procs\" id=\"processes\">\n")
                .append("<thead><tr><th>Name</th><th>PID</th><th>State</th><th>Uptime</th><th>RSS</th></tr></thead>\n");
        for (Processes.Proc p : procs) {
            text(out.append("<tr><td>"), p.name()).append("</td><td>").append(p.pid()).append("</td><td>");
            text(out, p.state()).append("</td><td>").append(StatusTimes.uptime(p.uptime())).append("</td><td>");
            out.append(p.rssKb() < 0 ? "?" : Math.round(p.rssKb() / 1024.0) + " MiB").append("</td></tr>\n");
        }
        if (procs.isEmpty()) {
            out.append("<tr><td colspan=\"5\">none running</td></tr>\n");
        }
        out.append("</table>\n</section>\n");
    }

    private static void error(StringBuilder out, Object message) {
        text(out.append("<span class=\"error\">"), message).append("</span>");
    }

    /** Appends {@code value} as HTML text (also safe inside a quoted attribute); null appends nothing. */
    static StringBuilder text(StringBuilder out, Object value) {
        if (value == null) {
            return out;
        }
        if (value instanceof Integer || value instanceof Long) {
            return out.append(((Number) value).longValue()); // no string made on the way
        }
        String s = value.toString();
        int i = 0;
        int n = s.length();
        while (i < n && !special(s.charAt(i))) {
            i++;
        }
        out.append(s, 0, i); // most values have nothing to escape
        for (; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out;
    }

    static String escaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (special(s.charAt(i))) {
                return text(new StringBuilder(s.length() + 16), s).toString();
            }
        }
        return s;
    }

    private static boolean special(char c) {
        return c == '<' || c == '>' || c == '&' || c == '"' || c == '\'';
    }

    private static JsonObject obj(Object o) {
        return o instanceof JsonObject j ? j : new JsonObject();
    }

    private static JsonArray array(Object o) {
        return o instanceof JsonArray a ? a : new JsonArray();
    }

    private static String str(Object o) {
        return o == null ? "" : o.toString();
    }
}
