package piranha.gui.web;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import piranha.gui.auth.DeviceCookie;
import piranha.gui.auth.LoginLimiter;
import piranha.gui.auth.PasswordFile;

/** Login (rate-limited, a new session id on success, legacy hashes migrated) and logout. */
final class LoginRoutes {
    private static final Logger LOG = Logger.getLogger(LoginRoutes.class.getName());
    private final GuiServer gui;

    LoginRoutes(GuiServer gui) {
        this.gui = gui;
    }

    void mount(Router r) {
        r.get("/login").handler(ctx -> page(ctx, 200, ""));
        r.post("/login").handler(this::login);
        r.post("/logout").handler(ctx -> {
            Session s = ctx.session();
            if (s != null) {
                s.destroy();
            }
            GuiServer.redirect(ctx, "/login");
        });
        r.get("/").handler(ctx -> GuiServer.redirect(ctx, "/control"));
    }

    private void page(RoutingContext ctx, int status, String error) {
        Map<String, Object> m = gui.base(ctx, "login", "Log in");
        m.put("error", error);
        m.put("user", PasswordFile.USER);
        gui.html(ctx, status, "login", m);
    }

    private void login(RoutingContext ctx) {
        String client = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
        String password = ctx.request().getFormAttribute("password");
        if (password == null || password.isEmpty() || password.length() > 1024) {
            page(ctx, 401, "Enter the password.");
            return;
        }
        // Admitted (and counted) before the check, so parallel guesses cannot all pass the limit.
        LoginLimiter.Answer answer = gui.limiter.admit(client, knownDevice(ctx));
        if (answer instanceof LoginLimiter.Refused r) {
            ctx.response().putHeader("Retry-After", Long.toString(Math.max(1, r.retryAfter().toSeconds())));
            page(ctx, r.busy() ? 503 : 429, r.reason());
            return;
        }
        LoginLimiter.Attempt attempt = ((LoginLimiter.Admitted) answer).attempt();
        char[] pw = password.toCharArray();
        gui.vertx().executeBlocking(() -> {
            try {
                PasswordFile.Check c = gui.passwords.check(pw);
                if (c == PasswordFile.Check.BAD) {
                    return "bad";
                }
                if (c == PasswordFile.Check.GOOD_NEEDS_REHASH) {
                    gui.passwords.set(pw);
                    LOG.info("password of " + PasswordFile.USER + " re-hashed with PBKDF2 in " + gui.passwords.path());
                }
                return "good:" + DeviceCookie.issue(gui.passwords.storedHash(), Instant.now());
            } catch (IOException e) {
                LOG.log(Level.WARNING, e.getMessage());
                return "error:" + e.getMessage();
            } finally {
                Arrays.fill(pw, '\0');
            }
        }, false).onComplete(ar -> {
            String result = ar.succeeded() ? ar.result() : "error:" + ar.cause().getMessage();
            if (result.startsWith("good:")) {
                attempt.succeeded();
                Session s = ctx.session();
                s.regenerateId();
                s.put(GuiServer.USER, PasswordFile.USER);
                s.put(GuiServer.CSRF, GuiServer.newToken());
                s.put(GuiServer.STAMP, gui.passwords.stamp());
                ctx.response().addCookie(Cookie.cookie(DeviceCookie.NAME, result.substring("good:".length()))
                        .setPath("/").setHttpOnly(true).setSecure(gui.settings().tls()).setSameSite(CookieSameSite.STRICT)
                        .setMaxAge(DeviceCookie.LIFETIME.toSeconds()));
                LOG.info("login from " + client);
                GuiServer.redirect(ctx, "/control");
            } else if (result.equals("bad")) {
                attempt.failed();
                LOG.warning("failed login from " + client);
                page(ctx, 401, "Wrong password.");
            } else {
                attempt.abandoned();
                page(ctx, 500, result.substring("error:".length()));
            }
        });
    }

    /** Whether the browser showed the device cookie of an earlier login under the current password. */
    private boolean knownDevice(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(DeviceCookie.NAME);
        if (c == null) {
            return false;
        }
        try {
            return DeviceCookie.valid(c.getValue(), gui.passwords.storedHash(), Instant.now());
        } catch (IOException e) {
            return false;
        }
    }
}
