package piranha.gui.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import piranha.gui.GuiSettings;
import piranha.gui.auth.LoginLimiter;
import piranha.gui.auth.PasswordFile;
import piranha.gui.config.ConfigStore;
import piranha.gui.status.DaemonLink;
import piranha.lvscf.HostResolver;

/**
 * The configuration tool's HTTP server. Every request passes, in order: security headers, a
 * bounded body reader, the session, then {@link #guard}: without a logged-in session only the
 * login page and the style sheet and script are served, whatever the method (CVE-2013-6492);
 * every POST but the login must carry the session's CSRF token.
 */
public final class GuiServer {
    private static final Logger LOG = Logger.getLogger(GuiServer.class.getName());
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final String SESSION_COOKIE = "piranha_session";
    static final String USER = "user";
    static final String CSRF = "csrf";
    static final String STAMP = "stamp";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The largest request body read (a form); larger ones are answered 413 unread. */
    static final int MAX_BODY = 1024 * 1024;

    private final Vertx vertx;
    private final GuiSettings settings;
    final Templates templates = new Templates();
    final ConfigStore store;
    final PasswordFile passwords;
    final LoginLimiter limiter = new LoginLimiter(Clock.systemUTC());
    final DaemonLink pulse;
    final DaemonLink lvsd;
    private final SessionStore sessions;
    private final Map<String, StaticAsset> statics = new LinkedHashMap<>();
    /** Each asset's URL with its version ({@code /static/style.css?v=ETAG}), for the templates. */
    private final Map<String, String> assetUrls = new LinkedHashMap<>();
    private HttpServer server;
    private long sampler = -1;
    private ControlRoutes control;

    public GuiServer(Vertx vertx, GuiSettings settings, HostResolver resolver) {
        this.vertx = vertx;
        this.settings = settings;
        this.store = new ConfigStore(settings.lvsCf(), resolver);
        this.passwords = new PasswordFile(settings.passwdFile());
        this.pulse = new DaemonLink("pulse", settings.pulseSocket());
        this.lvsd = new DaemonLink("lvsd", settings.lvsdSocket());
        this.sessions = LocalSessionStore.create(vertx);
        loadStatic("style.css", "/piranha/gui/static/style.css", "text/css; charset=utf-8");
        loadStatic("app.js", "/piranha/gui/static/app.js", "text/javascript; charset=utf-8");
        loadStatic("charts.js", "/piranha/gui/static/charts.js", "text/javascript; charset=utf-8");
        loadStatic("favicon.svg", "/piranha/gui/static/favicon.svg", "image/svg+xml");
        loadStatic("uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8");
        loadStatic("uPlot.min.css", UPLOT + "uPlot.min.css", "text/css; charset=utf-8");
    }

    /** The charting library, from its WebJar on the class path (gui/pom.xml). */
    private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

    /** A file served under /static/: its bytes, type and entity tag (a hash of the bytes). */
    record StaticAsset(Buffer bytes, String type, String etag) {}

    public GuiSettings settings() {
        return settings;
    }

    Vertx vertx() {
        return vertx;
    }

    SessionStore sessions() {
        return sessions;
    }

    private void loadStatic(String name, String resource, String type) {
        try (InputStream in = GuiServer.class.getResourceAsStream(resource)) {
            byte[] bytes = in.readAllBytes();
            String tag = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
            statics.put(name, new StaticAsset(Buffer.buffer(bytes), type, tag));
            assetUrls.put(name, "/static/" + name + "?v=" + tag);
        } catch (IOException | NullPointerException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("missing resource " + resource, e);
        }
    }

    /** Listens; the future holds the bound port (useful with port 0). */
    public Future<Integer> start() {
        // A form value over FormEdit.MAX_VALUE must reach the form handling to be refused next to
        // its field, so the transport limits are the body's.
        HttpServerOptions options = new HttpServerOptions().setHost(settings.bind()).setPort(settings.port())
                .setMaxFormAttributeSize(MAX_BODY);
        if (settings.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(settings.tlsCert().toString()).setKeyPath(settings.tlsKey().toString()));
        }
        ControlRoutes control = new ControlRoutes(this);
        this.control = control;
        control.startEvents();
        Router router = router(control);
        // The charts' history and the timeline sample the daemons' status even when no one watches.
        long period = LivePanels.SAMPLE_PERIOD.toMillis();
        sampler = vertx.setPeriodic(period, period, id -> vertx.executeBlocking(() -> {
            control.sample();
            return null;
        }, false));
        return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
            server = s;
            return s.actualPort();
        });
    }

    public Future<Void> stop() {
        vertx.cancelTimer(sampler);
        ControlRoutes c = control;
        // the event followers' threads end once their waiting requests are abandoned: not on an event loop
        Future<Void> followers = c == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            c.stopEvents();
            return null;
        }, false);
        return followers.compose(v -> server == null ? Future.succeededFuture() : server.close());
    }

    Router router() {
        return router(new ControlRoutes(this));
    }

    private Router router(ControlRoutes control) {
        Router r = Router.router(vertx);
        r.route().handler(this::headers);
        // Only POST carries a form; other methods' bodies are never read.
        r.route().method(HttpMethod.POST).handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        r.route().handler(SessionHandler.create(sessions)
                .setSessionCookieName(SESSION_COOKIE)
                .setSessionTimeout(settings.idleTimeout().toMillis())
                .setCookieHttpOnlyFlag(true)
                .setCookieSecureFlag(settings.tls())
                .setCookieSameSite(CookieSameSite.STRICT)
                .setLazySession(true));
        r.route().handler(this::guard);
        r.get("/static/:file").handler(this::staticFile);
        new LoginRoutes(this).mount(r);
        new ConfigRoutes(this).mount(r);
        control.mount(r);
        r.route().failureHandler(ctx -> {
            if (!ctx.response().ended()) {
                int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
                String why = switch (code) {
                    case 413 -> "the form is larger than " + (MAX_BODY >> 20) + " MiB and was not read; nothing was saved";
                    case 400 -> "the form could not be read; nothing was saved";
                    default -> "request failed";
                };
                ctx.response().setStatusCode(code).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end(why + " (" + code + ")\n");
            }
        });
        r.route().last().handler(ctx -> ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain")
                .end("not found\n"));
        return r;
    }

    private void headers(RoutingContext ctx) {
        var h = ctx.response().headers();
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("X-Frame-Options", "DENY");
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null", which the origin check refuses.
        h.set("Referrer-Policy", "same-origin");
        h.set("Cache-Control", "no-store");
        if (settings.tls()) {
            h.set("Strict-Transport-Security", "max-age=31536000");
        }
        ctx.next();
    }

    /** Authentication for every route and method, then CSRF for every state change. */
    private void guard(RoutingContext ctx) {
        String path = ctx.normalizedPath();
        HttpMethod m = ctx.request().method();
        boolean publicRoute = (path.equals("/login") && (m == HttpMethod.GET || m == HttpMethod.POST))
                || (path.startsWith("/static/") && m == HttpMethod.GET);
        // Anonymous requests never touch the session, so they create none (and no cookie).
        Session s = ctx.request().getCookie(SESSION_COOKIE) == null ? null : ctx.session();
        if (!publicRoute && !loggedIn(s)) {
            if (m == HttpMethod.GET && !path.equals("/events")) {
                ctx.response().setStatusCode(303).putHeader("Location", "/login").end();
            } else {
                ctx.response().setStatusCode(401).putHeader("Content-Type", "text/plain").end("log in first\n");
            }
            return;
        }
        if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
            String origin = ctx.request().getHeader("Origin");
            if (origin != null && !sameOrigin(origin, ctx.request().authority())) {
                ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain").end("cross-origin request refused\n");
                return;
            }
            if (!path.equals("/login") && !csrfOk(ctx, s)) {
                ctx.response().setStatusCode(403).putHeader("Content-Type", "text/plain")
                        .end("missing or stale form token: reload the page and try again\n");
                return;
            }
        }
        ctx.next();
    }

    /**
     * Whether a request's {@code Origin} is this server as the browser addressed it: the same
     * scheme (ours: https under TLS, else http), host and port (the scheme's default when absent),
     * compared exactly. {@code Origin: null} and anything with a path, user or query are not.
     */
    boolean sameOrigin(String origin, io.vertx.core.net.HostAndPort authority) {
        if (authority == null) {
            return false;
        }
        URI o;
        try {
            o = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = settings.tls() ? "https" : "http";
        int defaultPort = settings.tls() ? 443 : 80;
        if (!scheme.equalsIgnoreCase(o.getScheme()) || o.getHost() == null || o.getRawUserInfo() != null
                || o.getRawQuery() != null || o.getRawFragment() != null || !(o.getRawPath() == null || o.getRawPath().isEmpty())) {
            return false;
        }
        int port = o.getPort() < 0 ? defaultPort : o.getPort();
        int ourPort = authority.port() < 0 ? defaultPort : authority.port();
        return port == ourPort && bare(o.getHost()).equalsIgnoreCase(bare(authority.host()));
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    boolean loggedIn(Session s) {
        if (s == null || s.get(USER) == null) {
            return false;
        }
        // The store's reaper runs late on a busy machine; the idle limit is enforced here exactly.
        if (System.currentTimeMillis() - s.lastAccessed() > settings.idleTimeout().toMillis()) {
            s.destroy();
            return false;
        }
        return passwords.stamp().equals(s.get(STAMP));
    }

    private static boolean csrfOk(RoutingContext ctx, Session s) {
        String sent = ctx.request().getFormAttribute(CSRF);
        String expected = s == null ? null : s.get(CSRF);
        return sent != null && expected != null
                && MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static String newToken() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /**
     * The style sheet, script and charting library. Pages link them as {@code ?v=ETAG}: such a URL
     * never changes meaning, so the browser keeps it for a year; without the version (or an old
     * one) it asks again every time, and gets 304 while the entity tag still matches.
     */
    private void staticFile(RoutingContext ctx) {
        StaticAsset a = statics.get(ctx.pathParam("file"));
        if (a == null) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        String etag = "\"" + a.etag() + "\"";
        var res = ctx.response().putHeader("ETag", etag)
                .putHeader("Cache-Control", a.etag().equals(ctx.request().getParam("v"))
                        ? "private, max-age=31536000, immutable" : "private, no-cache");
        String match = ctx.request().getHeader("If-None-Match");
        if (match != null && (match.equals(etag) || match.equals("W/" + etag))) {
            res.setStatusCode(304).end();
            return;
        }
        res.putHeader("Content-Type", a.type()).end(a.bytes());
    }

    // ------------------------------------------------------------------ helpers for the routes

    /** The model every page starts from: navigation, the form token, a message from the last action. */
    Map<String, Object> base(RoutingContext ctx, String nav, String title) {
        Map<String, Object> m = new LinkedHashMap<>();
        Session s = ctx.request().getCookie(SESSION_COOKIE) == null ? null : ctx.session();
        m.put("nav", nav);
        m.put("title", title);
        m.put("assets", assetUrls);
        m.put("csrf", s == null || s.get(CSRF) == null ? "" : s.get(CSRF));
        Object flash = s == null ? null : s.remove("flash");
        Object flashErrors = s == null ? null : s.remove("flashErrors");
        Object flashChanges = s == null ? null : s.remove("flashChanges");
        m.put("flashChanges", flashChanges instanceof List<?> l ? l : List.of());
        m.put("flash", flash == null ? "" : flash.toString());
        m.put("flashErrors", flashErrors instanceof List<?> l ? l : List.of());
        m.put("fosMode", fosMode());
        return m;
    }

    /** service = fos: the FAILOVER page is offered (as Piranha's GUI did). The last read is cached. */
    private boolean fosMode() {
        try {
            return store.read().doc().config().globals().service() == piranha.lvscf.model.ServiceMode.FOS;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    void html(RoutingContext ctx, int status, String template, Map<String, Object> model) {
        // Encoded here, on the worker thread, so a large page costs the event loop only the write.
        Buffer body = Buffer.buffer(templates.render(template, model));
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(body);
    }

    static void redirect(RoutingContext ctx, String to) {
        ctx.response().setStatusCode(303).putHeader("Location", to).end();
    }

    static void flash(RoutingContext ctx, String message, List<String> errors) {
        Session s = ctx.session();
        if (s != null) {
            s.put("flash", message);
            if (errors != null && !errors.isEmpty()) {
                s.put("flashErrors", new java.util.ArrayList<>(errors));
            }
        }
    }

    /** The confirmation of a save, with the lines of lvs.cf it changed (as APPLY shows them). */
    static void flashSaved(RoutingContext ctx, String message, List<String> changes) {
        flash(ctx, message, null);
        Session s = ctx.session();
        if (s != null && !changes.isEmpty()) {
            s.put("flashChanges", new java.util.ArrayList<>(changes));
        }
    }

    /** Runs a page off the event loop (it reads files and sockets); a failure becomes an error page. */
    void blocking(io.vertx.ext.web.Route route, io.vertx.core.Handler<RoutingContext> page) {
        route.blockingHandler(ctx -> {
            try {
                page.handle(ctx);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "page " + ctx.normalizedPath() + " failed: " + e);
                if (!ctx.response().ended()) {
                    Map<String, Object> m = base(ctx, "", "Error");
                    m.put("message", e.getMessage() == null ? e.toString() : e.getMessage());
                    ctx.response().headers().remove("Content-Length");
                    html(ctx, 500, "message", m);
                }
            }
        }, false);
    }
}
