package piranha.gui.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import piranha.gui.config.ConfigStore;
import piranha.gui.config.ConfigStore.Outcome;
import piranha.gui.config.Field;
import piranha.gui.config.FormEdit;
import piranha.gui.config.LineDiff;
import piranha.gui.config.Target;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.model.RealServer;
import piranha.lvscf.model.VirtualService;

/**
 * GLOBAL SETTINGS, REDUNDANCY, VIRTUAL SERVERS, VIRTUAL SERVER, MONITORING SCRIPTS and REAL
 * SERVER. Pages only read lvs.cf; each POST is one save through {@link ConfigStore}.
 */
final class ConfigRoutes {
    private final GuiServer gui;

    ConfigRoutes(GuiServer gui) {
        this.gui = gui;
    }

    /**
     * One editing page: which fields of which part of lvs.cf, under which heading, and the buttons
     * that blank one field and save (key to button label).
     */
    private record FormPage(String nav, String title, List<Field> fields, Map<String, String> blanks) {
        FormPage(String nav, String title, List<Field> fields) {
            this(nav, title, fields, Map.of());
        }
    }

    private static final FormPage GLOBAL = new FormPage("global", "GLOBAL SETTINGS", Forms.GLOBAL_SETTINGS);
    private static final FormPage REDUNDANCY = new FormPage("redundancy", "REDUNDANCY", Forms.REDUNDANCY);
    private static final FormPage VIRTUAL = new FormPage("virtual", "VIRTUAL SERVER", Forms.VIRTUAL_SERVER);
    /** Piranha's BLANK SEND: the check then only connects (and reads the expect string, if any). */
    private static final FormPage SCRIPTS = new FormPage("scripts", "MONITORING SCRIPTS", Forms.MONITORING_SCRIPTS,
            Map.of("send", "BLANK SEND"));
    private static final FormPage REAL = new FormPage("real", "EDIT REAL SERVER", Forms.REAL_SERVER);
    private static final FormPage FAILOVER = new FormPage("failover", "EDIT FAILOVER SERVICE", Forms.FAILOVER_SERVICE);

    void mount(Router r) {
        gui.blocking(r.get("/global"), ctx -> show(ctx, GLOBAL, new Target.Global()));
        gui.blocking(r.post("/global"), ctx -> save(ctx, GLOBAL, new Target.Global()));
        gui.blocking(r.get("/redundancy"), ctx -> show(ctx, REDUNDANCY, new Target.Global()));
        gui.blocking(r.post("/redundancy"), ctx -> save(ctx, REDUNDANCY, new Target.Global()));

        gui.blocking(r.get("/virtuals"), this::virtuals);
        gui.blocking(r.post("/virtuals/add"), this::addVirtual);
        gui.blocking(r.getWithRegex("/virtual/(?<v>[0-9]{1,6})"), ctx -> show(ctx, VIRTUAL, virtual(ctx)));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})"), ctx -> save(ctx, VIRTUAL, virtual(ctx)));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/toggle"), ctx -> listAction(ctx, "/virtuals",
                doc -> toggleVirtual(doc, index(ctx, "v"))));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/delete"), ctx -> listAction(ctx, "/virtuals",
                doc -> doc.removeVirtual(index(ctx, "v"))));
        gui.blocking(r.getWithRegex("/virtual/(?<v>[0-9]{1,6})/scripts"), ctx -> show(ctx, SCRIPTS, virtual(ctx)));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/scripts"), ctx -> save(ctx, SCRIPTS, virtual(ctx)));

        gui.blocking(r.getWithRegex("/virtual/(?<v>[0-9]{1,6})/servers"), this::servers);
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/servers/add"), this::addServer);
        gui.blocking(r.getWithRegex("/virtual/(?<v>[0-9]{1,6})/server/(?<s>[0-9]{1,6})"), ctx -> show(ctx, REAL, server(ctx)));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/server/(?<s>[0-9]{1,6})"), ctx -> save(ctx, REAL, server(ctx)));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/server/(?<s>[0-9]{1,6})/toggle"), ctx -> listAction(ctx,
                serversUrl(ctx), doc -> toggleServer(doc, index(ctx, "v"), index(ctx, "s"))));
        gui.blocking(r.postWithRegex("/virtual/(?<v>[0-9]{1,6})/server/(?<s>[0-9]{1,6})/delete"), ctx -> listAction(ctx,
                serversUrl(ctx), doc -> doc.removeServer(index(ctx, "v"), index(ctx, "s"))));

        gui.blocking(r.get("/failovers"), this::failovers);
        gui.blocking(r.post("/failovers/add"), this::addFailover);
        gui.blocking(r.getWithRegex("/failover/(?<f>[0-9]{1,6})"), ctx -> show(ctx, FAILOVER, failover(ctx)));
        gui.blocking(r.postWithRegex("/failover/(?<f>[0-9]{1,6})"), ctx -> save(ctx, FAILOVER, failover(ctx)));
        gui.blocking(r.postWithRegex("/failover/(?<f>[0-9]{1,6})/toggle"), ctx -> listAction(ctx, "/failovers",
                doc -> doc.withFailover(index(ctx, "f"), "active",
                        doc.config().failovers().get(index(ctx, "f")).active() ? "0" : "1")));
        gui.blocking(r.postWithRegex("/failover/(?<f>[0-9]{1,6})/delete"), ctx -> listAction(ctx, "/failovers",
                doc -> doc.removeFailover(index(ctx, "f"))));
    }

    private static Target failover(RoutingContext ctx) {
        return new Target.Failover(index(ctx, "f"));
    }

    /** FAILOVER: the failover blocks (service = fos) with what pulse says of each. */
    private void failovers(RoutingContext ctx) {
        ConfigStore.Snapshot snap = read();
        Map<String, Object> m = gui.base(ctx, "failovers", "FAILOVER");
        m.put("version", snap.version());
        m.put("fosService", snap.doc().config().globals().service() == piranha.lvscf.model.ServiceMode.FOS);
        m.put("failovers", ListViews.failoverRows(snap.doc().config(), gui.pulse.status()));
        m.put("diagnostics", snap.doc().diagnostics().stream().map(Object::toString).toList());
        gui.html(ctx, 200, "failovers", m);
    }

    private void addFailover(RoutingContext ctx) {
        int[] added = {-1};
        listAction(ctx, null, doc -> {
            String name = unique(doc.config().failovers().stream().map(VirtualService::name).toList(), "failover_");
            LvsCfDocument d = doc.addFailover(name);
            int i = d.config().failovers().size() - 1;
            added[0] = i;
            // as a new virtual service: Piranha's check template, inactive until it has an address
            return d.withFailover(i, "active", "0").withFailover(i, "port", "80")
                    .withFailover(i, "send", "GET / HTTP/1.0\\r\\n\\r\\n").withFailover(i, "expect", "HTTP")
                    .withFailover(i, "timeout", "10");
        });
        if (!ctx.response().ended()) {
            GuiServer.redirect(ctx, added[0] >= 0 ? "/failover/" + added[0] : "/failovers");
        }
    }

    private static int index(RoutingContext ctx, String param) {
        return Integer.parseInt(ctx.pathParam(param));
    }

    private static Target virtual(RoutingContext ctx) {
        return new Target.Virtual(index(ctx, "v"));
    }

    private static Target server(RoutingContext ctx) {
        return new Target.Server(index(ctx, "v"), index(ctx, "s"));
    }

    private static String serversUrl(RoutingContext ctx) {
        return "/virtual/" + index(ctx, "v") + "/servers";
    }

    private ConfigStore.Snapshot read() {
        try {
            return gui.store.read();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ editing pages

    private void show(RoutingContext ctx, FormPage page, Target target) {
        ConfigStore.Snapshot snap = read();
        if (!target.exists(snap.doc())) {
            notFound(ctx);
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : page.fields()) {
            String v = target.text(snap.doc(), f.key());
            values.put(f.key(), v == null ? "" : v);
        }
        render(ctx, 200, page, target, snap.doc(), snap.version(), values, Map.of(), List.of());
    }

    private void save(RoutingContext ctx, FormPage page, Target target) {
        var form = ctx.request().formAttributes();
        Map<String, String> typed = new LinkedHashMap<>();
        String blank = form.get("blank");
        if (blank != null && page.blanks().containsKey(blank)) {
            typed.put(blank, ""); // a BLANK button's own form: that field alone, emptied
        } else {
            for (Field f : page.fields()) {
                String v = form.get(f.key());
                if (v != null) {
                    typed.put(f.key(), v);
                }
            }
        }
        String version = form.get("version");
        Outcome outcome;
        try {
            outcome = gui.store.save(version, doc -> FormEdit.apply(doc, target, page.fields(), typed));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (outcome instanceof Outcome.Saved s) {
            GuiServer.flashSaved(ctx, "Saved; serial_no is now " + s.after().config().globals().serialNo()
                    + ". The daemons use it after APPLY. Changed:", changed(s));
            GuiServer.redirect(ctx, ctx.normalizedPath());
        } else if (outcome instanceof Outcome.Unchanged) {
            GuiServer.flash(ctx, "Nothing changed.", null);
            GuiServer.redirect(ctx, ctx.normalizedPath());
        } else if (outcome instanceof Outcome.Rejected rej) {
            FormEdit e = (FormEdit) rej.edit();
            List<String> errors = new ArrayList<>(e.formErrors());
            errors.add(0, "Nothing was saved: correct the fields marked below.");
            render(ctx, 422, page, target, read().doc(), version, fill(page, target, typed), e.fieldErrors(), errors);
        } else if (outcome instanceof Outcome.Stale st) {
            // A form without its version (not one this GUI drew) is stale too.
            render(ctx, 409, page, target, read().doc(), version == null ? "" : version, fill(page, target, typed), Map.of(),
                    List.of(st.message()));
        }
    }

    /** The lines of lvs.cf a save changed, serial_no's own line left out: what the confirmation lists. */
    static List<String> changed(Outcome.Saved s) {
        return LineDiff.diff(s.before().text(), s.after().text()).stream()
                .filter(l -> (l.startsWith("+") || l.startsWith("-")) && !l.substring(1).strip().startsWith("serial_no"))
                .limit(40).toList();
    }

    /** What the operator typed, and the file's values for fields the form did not send. */
    private Map<String, String> fill(FormPage page, Target target, Map<String, String> typed) {
        LvsCfDocument doc = read().doc();
        Map<String, String> values = new LinkedHashMap<>();
        for (Field f : page.fields()) {
            String v = typed.get(f.key());
            if (v == null && target.exists(doc)) {
                v = target.text(doc, f.key());
            }
            values.put(f.key(), v == null ? "" : v);
        }
        return values;
    }

    private void render(RoutingContext ctx, int status, FormPage page, Target target, LvsCfDocument doc, String version,
            Map<String, String> values, Map<String, String> errors, List<String> formErrors) {
        Map<String, Object> m = gui.base(ctx, page.nav(), page.title());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Field f : page.fields()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("key", f.key());
            fm.put("label", f.label());
            fm.put("kind", f.kind().name());
            fm.put("help", f.help());
            fm.put("choices", f.choices());
            fm.put("default", f.defaultText() == null ? "" : f.defaultText());
            fm.put("value", values.getOrDefault(f.key(), ""));
            fm.put("error", errors.getOrDefault(f.key(), ""));
            fields.add(fm);
        }
        m.put("fields", fields);
        m.put("blanks", page.blanks());
        m.put("version", version);
        m.put("action", ctx.normalizedPath());
        m.put("formErrors", formErrors);
        m.put("context", context(doc, target));
        gui.html(ctx, status, "form", m);
    }

    /** Where a virtual-server page belongs: its name and the links between its pages. */
    private static Map<String, Object> context(LvsCfDocument doc, Target target) {
        Map<String, Object> c = new LinkedHashMap<>();
        int v = target instanceof Target.Virtual tv ? tv.index() : target instanceof Target.Server ts ? ts.virtual() : -1;
        c.put("virtual", v);
        c.put("virtualName", v >= 0 && new Target.Virtual(v).exists(doc) ? new Target.Virtual(v).name(doc) : "");
        return c;
    }

    private void notFound(RoutingContext ctx) {
        Map<String, Object> m = gui.base(ctx, "", "Not found");
        m.put("message", "No such entry in lvs.cf (it may have been deleted or renumbered). Go back to VIRTUAL SERVERS.");
        gui.html(ctx, 404, "message", m);
    }

    // ------------------------------------------------------------------ lists

    private void virtuals(RoutingContext ctx) {
        ConfigStore.Snapshot snap = read();
        Map<String, Object> m = gui.base(ctx, "virtuals", "VIRTUAL SERVERS");
        m.put("version", snap.version());
        m.put("virtuals", ListViews.virtualRows(snap.doc().config(), gui.lvsd.status()));
        m.put("diagnostics", snap.doc().diagnostics().stream().map(Object::toString).toList());
        gui.html(ctx, 200, "virtuals", m);
    }

    private void servers(RoutingContext ctx) {
        ConfigStore.Snapshot snap = read();
        Target.Virtual t = new Target.Virtual(index(ctx, "v"));
        if (!t.exists(snap.doc())) {
            notFound(ctx);
            return;
        }
        VirtualService v = snap.doc().config().virtuals().get(t.index());
        Map<String, Object> m = gui.base(ctx, "real", "REAL SERVER");
        m.put("version", snap.version());
        m.put("context", context(snap.doc(), t));
        List<Map<String, Object>> rows = new ArrayList<>();
        HealthView health = HealthView.of(gui.lvsd.status());
        int i = 0;
        for (RealServer s : v.servers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            HealthView.Status status = health.server(v, s);
            row.put("index", i++);
            row.put("name", s.name());
            row.put("active", s.active());
            row.put("health", status.text());
            row.put("healthClass", status.css());
            row.put("address", s.address().ip());
            row.put("port", Integer.toString(s.port()));
            row.put("weight", Integer.toString(s.weight()));
            rows.add(row);
        }
        m.put("servers", rows);
        gui.html(ctx, 200, "servers", m);
    }

    private void addVirtual(RoutingContext ctx) {
        int[] added = {-1};
        listAction(ctx, null, doc -> {
            String name = unique(doc.config().virtuals().stream().map(VirtualService::name).toList(), "service_");
            LvsCfDocument d = doc.addVirtual(name);
            int i = d.config().virtuals().size() - 1;
            added[0] = i;
            // Piranha's template for a new service (reference §8.2), inactive until activated.
            d = d.withVirtual(i, "active", "0").withVirtual(i, "port", "80").withVirtual(i, "send", "GET / HTTP/1.0\\r\\n\\r\\n")
                    .withVirtual(i, "expect", "HTTP").withVirtual(i, "use_regex", "0").withVirtual(i, "load_monitor", "none")
                    .withVirtual(i, "scheduler", "wlc").withVirtual(i, "protocol", "tcp").withVirtual(i, "timeout", "6")
                    .withVirtual(i, "reentry", "15").withVirtual(i, "quiesce_server", "0");
            return d;
        });
        if (!ctx.response().ended()) {
            GuiServer.redirect(ctx, added[0] >= 0 ? "/virtual/" + added[0] : "/virtuals");
        }
    }

    private void addServer(RoutingContext ctx) {
        int v = index(ctx, "v");
        int[] added = {-1};
        listAction(ctx, null, doc -> {
            if (v >= doc.config().virtuals().size()) {
                throw new IndexOutOfBoundsException("no such virtual server");
            }
            String name = unique(doc.config().virtuals().get(v).servers().stream().map(RealServer::name).toList(), "server_");
            LvsCfDocument d = doc.addServer(v, name);
            int s = d.config().virtuals().get(v).servers().size() - 1;
            added[0] = s;
            return d.withServer(v, s, "active", "0").withServer(v, s, "weight", "1");
        });
        if (!ctx.response().ended()) {
            GuiServer.redirect(ctx, added[0] >= 0 ? "/virtual/" + v + "/server/" + added[0] : serversUrl(ctx));
        }
    }

    private static String unique(List<String> taken, String prefix) {
        for (int n = 1; ; n++) {
            if (!taken.contains(prefix + n)) {
                return prefix + n;
            }
        }
    }

    private static LvsCfDocument toggleVirtual(LvsCfDocument doc, int v) {
        boolean active = doc.config().virtuals().get(v).active();
        return doc.withVirtual(v, "active", active ? "0" : "1");
    }

    private static LvsCfDocument toggleServer(LvsCfDocument doc, int v, int s) {
        boolean active = doc.config().virtuals().get(v).servers().get(s).active();
        return doc.withServer(v, s, "active", active ? "0" : "1");
    }

    /**
     * ADD, DELETE, (DE)ACTIVATE: one save; the outcome is reported on the list page. With
     * {@code back} null the caller redirects on success.
     */
    private void listAction(RoutingContext ctx, String back, UnaryOperator<LvsCfDocument> change) {
        String version = ctx.request().getFormAttribute("version");
        String fallback = back != null ? back : ctx.normalizedPath().replaceAll("/(add)$", "");
        Outcome outcome;
        try {
            outcome = gui.store.save(version, doc -> {
                try {
                    return FormEdit.of(doc, change.apply(doc));
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    return FormEdit.failed(doc, e.getMessage());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (outcome instanceof Outcome.Saved s) {
            GuiServer.flashSaved(ctx, "Saved; serial_no is now " + s.after().config().globals().serialNo()
                    + ". The daemons use it after APPLY. Changed:", changed(s));
            if (back != null) {
                GuiServer.redirect(ctx, back);
            }
        } else if (outcome instanceof Outcome.Unchanged) {
            if (back != null) {
                GuiServer.redirect(ctx, back);
            }
        } else if (outcome instanceof Outcome.Rejected rej) {
            GuiServer.flash(ctx, "Nothing was saved:", ((FormEdit) rej.edit()).formErrors());
            GuiServer.redirect(ctx, fallback);
        } else if (outcome instanceof Outcome.Stale st) {
            GuiServer.flash(ctx, st.message(), null);
            GuiServer.redirect(ctx, fallback);
        }
    }
}
