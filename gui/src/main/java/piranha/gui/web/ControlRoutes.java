package piranha.gui.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import piranha.daemon.ReloadRequest;
import piranha.gui.config.ConfigStore;
import piranha.gui.config.LineDiff;
import piranha.gui.status.History;

/**
 * CONTROL/MONITORING (with its live stream), the operator actions on a real server, and APPLY,
 * which asks lvsd and pulse to reload what was saved (Piranha never did).
 */
final class ControlRoutes {
    private static final Logger LOG = Logger.getLogger(ControlRoutes.class.getName());
    static final Set<String> ACTIONS = Set.of("drain", "force-down", "force-up", "auto");
    private static final int MIN_PERIOD = 1;
    private static final int MAX_PERIOD = 3600;

    private final GuiServer gui;
    private final LivePanels panels;
    /** lvs.cf as the daemons last loaded it through APPLY (at start: as found). */
    private volatile String applied;

    ControlRoutes(GuiServer gui) {
        this.gui = gui;
        this.panels = new LivePanels(gui.pulse, gui.lvsd);
        try {
            applied = gui.store.read().doc().text();
        } catch (IOException e) {
            applied = "";
        }
    }

    void mount(Router r) {
        gui.blocking(r.get("/control"), this::control);
        gui.blocking(r.get("/charts"), this::charts);
        r.get("/events").handler(this::events);
        gui.blocking(r.post("/server-action"), this::serverAction);
        r.post("/sync").handler(this::sync);
        gui.blocking(r.get("/apply"), this::showApply);
        gui.blocking(r.post("/apply"), this::apply);
    }

    /** Follows pulse's and lvsd's event streams into the timeline until {@link #stopEvents}. */
    void startEvents() {
        panels.startEvents();
    }

    void stopEvents() {
        panels.stopEvents();
    }

    /** The sampler's tick (off the event loop). */
    void sample() {
        panels.sample();
    }

    /**
     * The live charts' data for one virtual service (default: the first) over the last {@code range}
     * seconds (15 minutes by default, at most 24 hours), as JSON: {@link History#chart}.
     */
    private void charts(RoutingContext ctx) {
        History history = panels.history();
        String service = ctx.request().getParam("service");
        if (service == null || service.isEmpty()) {
            List<String> names = history.serviceNames();
            service = names.isEmpty() ? "" : names.get(0);
        }
        long range;
        try {
            String r = ctx.request().getParam("range");
            range = r == null ? History.FINE.width() * (long) History.FINE.slots() : Long.parseLong(r.strip());
        } catch (NumberFormatException e) {
            range = History.FINE.width() * (long) History.FINE.slots();
        }
        range = Math.max(60, Math.min(History.LONGEST.toSeconds(), range));
        JsonObject chart = history.chart(service, java.time.Duration.ofSeconds(range), java.time.Instant.now());
        ctx.response().putHeader("Content-Type", "application/json").end(chart.toBuffer());
    }

    /** Why the update frequency typed is not used as it is (next to the field), or "" when it is. */
    static String periodError(String asked, int used) {
        if (asked == null || asked.strip().equals(Integer.toString(used))) {
            return "";
        }
        String shown = asked.length() > 20 ? asked.substring(0, 20) + "..." : asked;
        return "\"" + shown + "\" is not a whole number of seconds from " + MIN_PERIOD + " to " + MAX_PERIOD + "; " + used + " is used.";
    }

    static int period(String s, int dflt) {
        try {
            int p = s == null ? dflt : Integer.parseInt(s.strip());
            return Math.max(MIN_PERIOD, Math.min(MAX_PERIOD, p));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private void control(RoutingContext ctx) {
        LivePanels.Rendered rendered = panels.fresh();
        Map<String, Object> m = gui.base(ctx, "control", "CONTROL/MONITORING");
        String asked = ctx.request().getParam("refresh");
        int period = period(asked, gui.settings().refreshSeconds());
        m.put("refreshError", periodError(asked, period));
        boolean auto = ctx.request().getParam("refresh") == null || ctx.request().getParam("auto") != null;
        m.put("refresh", period);
        m.put("auto", auto);
        m.put("chartServices", panels.history().serviceNames());
        m.put("partner", rendered.partner);
        StatusPanels.send(ctx.response(), gui.templates, m, rendered.bytes());
    }

    /**
     * Server-sent events: the status panels re-rendered every {@code period} seconds. The stream
     * ends when the client leaves or its session expires.
     */
    private void events(RoutingContext ctx) {
        int period = period(ctx.request().getParam("period"), gui.settings().refreshSeconds());
        String sessionId = ctx.session().id();
        HttpServerResponse res = ctx.response();
        res.setChunked(true).putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("X-Accel-Buffering", "no");
        res.write("retry: " + period * 1000 + "\n\n");
        AtomicBoolean busy = new AtomicBoolean();
        var vertx = gui.vertx();
        Runnable tick = () -> {
            if (!busy.compareAndSet(false, true)) {
                return; // the previous update is still being fetched
            }
            gui.sessions().get(sessionId).compose(s -> {
                if (s == null || !gui.loggedIn(s)) {
                    res.end("event: expired\ndata: log in again\n\n");
                    return io.vertx.core.Future.succeededFuture();
                }
                return vertx.executeBlocking(() -> panels.recent().event(), false)
                        .onSuccess(event -> {
                            if (!res.ended() && !res.closed()) {
                                res.write(event);
                            }
                        });
            }).onComplete(ar -> busy.set(false));
        };
        long timer = vertx.setPeriodic(1, period * 1000L, id -> tick.run());
        res.closeHandler(v -> vertx.cancelTimer(timer));
        res.endHandler(v -> vertx.cancelTimer(timer));
    }

    /** One server-sent event; every line of {@code data} (ended by CR LF, CR or LF) becomes a data line. */
    static String sse(String event, String data) {
        StringBuilder sb = new StringBuilder(data.length() + data.length() / 16 + 64).append("event: ").append(event).append('\n');
        int start = 0;
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '\n' || c == '\r') {
                sb.append("data: ").append(data, start, i).append('\n');
                if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        return sb.append("data: ").append(data, start, data.length()).append("\n\n").toString();
    }

    private void serverAction(RoutingContext ctx) {
        var form = ctx.request().formAttributes();
        String action = form.get("action");
        String service = form.get("service");
        String server = form.get("server");
        String target = form.get("target");
        if (target != null && target.indexOf(' ') > 0) {
            // "SERVICE IP:PORT" from the radio button of a table row; service names have no blanks.
            service = target.substring(0, target.indexOf(' '));
            server = target.substring(target.indexOf(' ') + 1);
        }
        if (action == null || !ACTIONS.contains(action) || service == null || server == null
                || service.length() > 200 || server.length() > 200) {
            GuiServer.flash(ctx, "Choose a real server in the table, then drain, force down, force up or auto.", null);
            GuiServer.redirect(ctx, "/control");
            return;
        }
        // lvsd answers an action with "ok" alone: what it changed is read from its status before and after.
        JsonObject before = ServerChange.entry(gui.lvsd.status(), service, server);
        JsonObject reply = gui.lvsd.serverAction(action, service, server);
        if (reply.containsKey("error")) {
            GuiServer.flash(ctx, action + " " + server + " in " + service + " failed:", List.of(reply.getValue("error").toString()));
        } else {
            LOG.info("operator " + action + " of real server " + server + " in " + service);
            List<String> changes = ServerChange.describe(before, ServerChange.entry(gui.lvsd.status(), service, server));
            GuiServer.flashSaved(ctx, action + " " + server + " in " + service + ": done." + (changes.isEmpty()
                    ? " Nothing changed: it was in that state already." : " Changed:"), changes);
        }
        GuiServer.redirect(ctx, "/control");
    }

    /**
     * "Sync to partner": pulse offers lvs.cf to the partner (as {@code lvsadm sync}), which checks,
     * writes and reloads it; the confirmation says what the partner installed or why not. The wait
     * covers the partner's reload (up to {@link piranha.gui.status.DaemonLink#SYNC_TIMEOUT}), so it
     * runs unordered on a worker: other pages are not queued behind it.
     */
    private void sync(RoutingContext ctx) {
        gui.vertx().executeBlocking(() -> PartnerSync.of(gui.pulse.sync()), false).onComplete(ar -> {
            PartnerSync done = ar.succeeded() ? ar.result() : new PartnerSync(false, "Not synced:", List.of(String.valueOf(ar.cause())));
            LOG.info(() -> "sync to partner: " + done.sentence());
            panels.timeline().record(new piranha.gui.status.Timeline.Event(java.time.Instant.now(), "reload",
                    done.synced() ? "good" : "bad", done.synced() ? "synced" : "not synced", done.sentence()));
            if (done.synced()) {
                GuiServer.flashSaved(ctx, done.message(), done.lines());
            } else {
                GuiServer.flash(ctx, done.message(), done.lines());
            }
            GuiServer.redirect(ctx, "/control");
        });
    }

    private ConfigStore.Snapshot read() {
        try {
            return gui.store.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private void showApply(RoutingContext ctx) {
        ConfigStore.Snapshot snap = read();
        Map<String, Object> m = gui.base(ctx, "apply", "APPLY");
        m.put("version", snap.version());
        m.put("diff", LineDiff.diff(applied, snap.doc().text()));
        m.put("diagnostics", snap.doc().diagnostics().stream().map(Object::toString).toList());
        m.put("valid", !snap.doc().hasErrors());
        m.put("results", List.of());
        gui.html(ctx, 200, "apply", m);
    }

    private void apply(RoutingContext ctx) {
        ConfigStore.Snapshot snap = read();
        Map<String, Object> m = gui.base(ctx, "apply", "APPLY");
        m.put("version", snap.version());
        m.put("diagnostics", snap.doc().diagnostics().stream().map(Object::toString).toList());
        m.put("valid", !snap.doc().hasErrors());
        List<String> diff = LineDiff.diff(applied, snap.doc().text());
        m.put("diff", diff);
        List<Map<String, Object>> results = new ArrayList<>();
        if (!snap.version().equals(ctx.request().getFormAttribute("version"))) {
            m.put("flash", "lvs.cf changed since this page was loaded; review the changes below and apply again.");
            m.put("results", results);
            gui.html(ctx, 409, "apply", m);
            return;
        }
        if (snap.doc().hasErrors()) {
            m.put("flash", "lvs.cf has errors; nothing was applied.");
            m.put("results", results);
            gui.html(ctx, 422, "apply", m);
            return;
        }
        // pulse re-reads lvs.cf and has lvsd reload (lvsd alone where pulse does not run), as lvsadm reload
        ReloadRequest.Result reload = ReloadRequest.send(gui.pulse.socket(), gui.lvsd.socket(), ReloadRequest.TIMEOUT);
        for (ReloadRequest.Part part : reload.parts()) {
            results.add(result(part));
        }
        if (reload.ok()) {
            applied = snap.doc().text();
        }
        panels.timeline().record(new piranha.gui.status.Timeline.Event(java.time.Instant.now(), "reload",
                reload.ok() ? "good" : "bad", reload.ok() ? "applied" : "refused",
                "APPLY of serial_no " + snap.doc().config().globals().serialNo() + ": " + String.join("; ", reload.lines())));
        LOG.info(() -> "apply: " + String.join("; ", reload.lines()));
        m.put("flash", reload.ok() ? "Applied." : "Not applied: see below.");
        m.put("sent", true);
        m.put("results", results);
        gui.html(ctx, reload.ok() ? 200 : 502, "apply", m);
    }

    /** One daemon's part: the summary line as lvsadm prints it, then its changes or errors. */
    private static Map<String, Object> result(ReloadRequest.Part part) {
        List<String> lines = part.lines();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("daemon", part.daemon());
        r.put("state", part.applied() ? "ok" : part.asked() ? "failed" : "skipped");
        r.put("summary", lines.get(0).substring(part.daemon().length() + 2));
        r.put("details", lines.subList(1, lines.size()).stream().map(String::strip).toList());
        return r;
    }
}
