package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.HttpCookie;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.ext.web.Route;
import piranha.gui.auth.PasswordFile;
import piranha.gui.auth.Pbkdf2;

class SecurityTest {
    static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    /** A form that would change lvs.cf on any editing route if it were accepted. */
    static final Map<String, String> HOSTILE = Map.of("active", "0", "port", "1", "primary", "10.9.9.9", "name", "owned",
            "action", "force-down", "service", "demo_web", "server", "127.0.0.1:8081", "password", "x");

    @TempDir
    static Path dir;
    static TestGui gui;

    @BeforeAll
    static void start() throws Exception {
        gui = new TestGui(dir).withDaemons();
    }

    @AfterAll
    static void stop() {
        gui.close();
    }

    /** Every route the router knows, regular-expression routes made concrete. */
    static Set<String> routes() {
        Set<String> paths = new LinkedHashSet<>();
        for (Route r : gui.server.router().getRoutes()) {
            String p = r.getPath() != null ? r.getPath() : r.getName();
            if (p == null) {
                continue;
            }
            paths.add(p.replace(":file", "style.css").replaceAll("\\(\\?<[a-z]+>\\[0-9\\]\\{1,6\\}\\)", "0"));
        }
        paths.add("/no/such/route");
        return paths;
    }

    @Test
    void everyRouteAndMethodWithoutASessionIsRejectedAndLvsCfUnchanged() throws Exception {
        Set<String> routes = routes();
        assertThat(routes).contains("/control", "/events", "/apply", "/global", "/redundancy", "/virtuals", "/virtuals/add",
                "/virtual/0", "/virtual/0/toggle", "/virtual/0/delete", "/virtual/0/scripts", "/virtual/0/servers",
                "/virtual/0/servers/add", "/virtual/0/server/0", "/virtual/0/server/0/toggle",
                "/virtual/0/server/0/delete", "/server-action", "/logout", "/login", "/", "/failovers", "/failovers/add",
                "/failover/0", "/failover/0/toggle", "/failover/0/delete");
        String before = gui.lvsCfText();
        List<String> checked = new ArrayList<>();
        for (String path : routes) {
            for (String m : METHODS) {
                TestGui.Client anon = gui.client();
                HttpResponse<String> r = anon.method(m, path, HOSTILE);
                boolean publicRead = (path.equals("/login") && (m.equals("GET") || m.equals("POST")))
                        || (path.startsWith("/static/") && m.equals("GET"));
                if (publicRead) {
                    // The login page and the style sheet are served; a wrong password is refused.
                    assertThat(r.statusCode()).as(m + " " + path).isIn(200, 401);
                } else if (m.equals("GET") && !path.equals("/events")) {
                    assertThat(r.statusCode()).as(m + " " + path).isEqualTo(303);
                    assertThat(r.headers().firstValue("Location")).as(m + " " + path).hasValue("/login");
                } else {
                    assertThat(r.statusCode()).as(m + " " + path).isEqualTo(401);
                }
                assertThat(r.body()).as(m + " " + path).doesNotContain("demo_web").doesNotContain("127.0.0.100");
                checked.add(m + " " + path);
            }
        }
        assertThat(gui.lvsCfText()).isEqualTo(before);
        assertThat(gui.lvsdRequests).as("no operator action reached lvsd").isEmpty();
        assertThat(checked).hasSizeGreaterThanOrEqualTo(20 * METHODS.size());
    }

    @Test
    void everyPostWithoutTheCsrfTokenIsRefused() throws Exception {
        TestGui.Client c = gui.client().login();
        String before = gui.lvsCfText();
        for (String path : routes()) {
            if (path.equals("/login") || path.startsWith("/static/") || path.equals("/no/such/route")) {
                continue;
            }
            c.get("/virtuals");
            Map<String, String> form = new java.util.HashMap<>(HOSTILE);
            form.put("version", c.version());
            form.put("csrf", "0123456789abcdef");
            HttpResponse<String> r = c.post(path, form);
            assertThat(r.statusCode()).as("POST " + path).isEqualTo(403);
            form.remove("csrf");
            assertThat(c.post(path, form).statusCode()).as("POST " + path).isEqualTo(403);
        }
        assertThat(gui.lvsCfText()).isEqualTo(before);
        assertThat(gui.lvsdRequests).isEmpty();
        // Changing state with GET is impossible: those routes only answer POST.
        assertThat(c.get("/virtual/0/delete").statusCode()).isIn(404, 405);
        assertThat(c.get("/virtuals/add").statusCode()).isIn(404, 405);
        assertThat(gui.lvsCfText()).isEqualTo(before);
    }

    @Test
    void crossOriginPostsAreRefusedEvenWithAToken() throws Exception {
        TestGui.Client c = gui.client().login();
        c.get("/virtuals");
        String before = gui.lvsCfText();
        HttpResponse<String> r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gui.url("/virtuals/add")))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://evil.example")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestGui.encode(Map.of("csrf", c.csrf(), "version", c.version())))));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(gui.lvsCfText()).isEqualTo(before);
    }

    @Test
    void sessionCookieIsHttpOnlyAndSameSiteStrictAndAnonymousRequestsGetNone() throws Exception {
        TestGui.Client anon = gui.client();
        HttpResponse<String> r = anon.get("/control");
        assertThat(r.headers().allValues("set-cookie")).isEmpty();
        r = anon.post("/login", Map.of("password", TestGui.PASSWORD));
        String cookie = r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("piranha_session="))
                .findFirst().orElseThrow();
        assertThat(cookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").doesNotContainIgnoringCase("Secure");
        String device = r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("piranha_device="))
                .findFirst().orElseThrow();
        assertThat(device).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Max-Age=2592000");
    }

    @Test
    void securityHeadersOnEveryKindOfResponse() throws Exception {
        TestGui.Client c = gui.client();
        List<HttpResponse<String>> rs = new ArrayList<>();
        rs.add(c.get("/login"));
        rs.add(c.get("/control"));
        rs.add(c.method("PUT", "/global", Map.of()));
        c.login();
        rs.add(c.get("/control"));
        rs.add(c.get("/virtual/0"));
        rs.add(c.get("/static/app.js"));
        for (HttpResponse<String> r : rs) {
            String csp = r.headers().firstValue("Content-Security-Policy").orElseThrow();
            assertThat(csp).contains("frame-ancestors 'none'").contains("script-src 'self'").doesNotContain("unsafe-inline");
            assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(r.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        }
        // No inline script anywhere: every script is a file under /static/ (app.js; CONTROL/MONITORING adds uPlot and charts.js).
        for (String page : List.of("/control", "/global", "/redundancy", "/virtuals", "/virtual/0", "/virtual/0/servers",
                "/virtual/0/server/0", "/virtual/0/scripts", "/apply")) {
            String body = c.get(page).body();
            assertThat(body.split("<script", -1)).as(page).hasSize(page.equals("/control") ? 4 : 2);
            assertThat(body.split("<script src=\"/static/", -1)).as(page).hasSize(page.equals("/control") ? 4 : 2);
            assertThat(body).as(page).containsPattern("<script src=\"/static/app.js\\?v=[0-9a-f]{16}\" defer></script>")
                    .doesNotContain(" on" + "click=");
        }
    }

    @Test
    void loginAttemptsAreRateLimited() throws Exception {
        // A fresh server: the limiter is per server and per client address.
        try (TestGui g = new TestGui(Files.createTempDirectory(dir, "rl"))) {
            TestGui.Client c = g.client();
            for (int i = 0; i < piranha.gui.auth.LoginLimiter.FREE_ATTEMPTS; i++) {
                assertThat(c.post("/login", Map.of("password", "guess" + i)).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> r = c.post("/login", Map.of("password", TestGui.PASSWORD));
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("Too many failed logins");
        }
    }

    @Test
    void idleSessionsExpire() throws Exception {
        try (TestGui g = new TestGui(Files.createTempDirectory(dir, "idle"), Duration.ofSeconds(2), null, null)) {
            TestGui.Client c = g.client().login();
            assertThat(c.get("/control").statusCode()).isEqualTo(200);
            Thread.sleep(4500);
            HttpResponse<String> r = c.get("/control");
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).hasValue("/login");
        }
    }

    @Test
    void aNewPasswordEndsOpenSessions() throws Exception {
        try (TestGui g = new TestGui(Files.createTempDirectory(dir, "pw"))) {
            TestGui.Client c = g.client().login();
            assertThat(c.get("/control").statusCode()).isEqualTo(200);
            Files.writeString(g.passwd, PasswordFile.USER + ":" + Pbkdf2.hash("another".toCharArray(), 1000) + "\n");
            assertThat(c.get("/control").statusCode()).isEqualTo(303);
        }
    }

    @Test
    void tlsServesHttpsWithSecureCookies() throws Exception {
        Path d = Files.createTempDirectory(dir, "tls");
        Path cert = d.resolve("cert.pem");
        Path key = d.resolve("key.pem");
        Tls.selfSigned(cert, key);
        try (TestGui g = new TestGui(d, Duration.ofMinutes(5), cert, key)) {
            TestGui.Client c = g.client();
            HttpResponse<String> r = c.post("/login", Map.of("password", TestGui.PASSWORD));
            assertThat(r.statusCode()).isEqualTo(303);
            List<HttpCookie> cookies = HttpCookie.parse(r.headers().firstValue("set-cookie").orElseThrow());
            assertThat(cookies.get(0).getSecure()).isTrue();
            assertThat(r.headers().firstValue("set-cookie").orElseThrow()).contains("SameSite=Strict");
            assertThat(r.headers().firstValue("Strict-Transport-Security")).isPresent();
            assertThat(c.get("/control").statusCode()).isEqualTo(200);
        }
    }

    /** The review's race: 50 parallel guesses from one address were all checked. Now five are. */
    @Test
    void parallelGuessesFromOneAddressAreCheckedFiveTimesAtMost() throws Exception {
        try (TestGui g = new TestGui(Files.createTempDirectory(dir, "race"))) {
            TestGui.Client c = g.client();
            List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sent.add(c.http.sendAsync(java.net.http.HttpRequest.newBuilder(java.net.URI.create(g.url("/login")))
                        .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(60))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("password=guess" + i)).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int checked = 0;
            for (var f : sent) {
                HttpResponse<String> r = f.get(90, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isIn(401, 429, 503);
                checked += r.statusCode() == 401 ? 1 : 0;
            }
            assertThat(checked).isLessThanOrEqualTo(piranha.gui.auth.LoginLimiter.FREE_ATTEMPTS);
            // One at a time until refused: five checked in all, then even the right password waits.
            for (int i = 0; i < 10 && checked < piranha.gui.auth.LoginLimiter.FREE_ATTEMPTS; i++) {
                HttpResponse<String> r = c.post("/login", Map.of("password", "again" + i));
                checked += r.statusCode() == 401 ? 1 : 0;
            }
            assertThat(checked).isEqualTo(piranha.gui.auth.LoginLimiter.FREE_ATTEMPTS);
            HttpResponse<String> r = c.post("/login", Map.of("password", TestGui.PASSWORD));
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After")).isPresent();
        }
    }

    /**
     * Guessing from many addresses locks the account for browsers that never logged in, never
     * for the operator's browser (its device cookie), and never for long.
     */
    @Test
    void guessesFromManyAddressesDoNotLockOutABrowserThatLoggedInBefore() throws Exception {
        try (TestGui g = new TestGui(Files.createTempDirectory(dir, "account"))) {
            TestGui.Client operator = g.client().login();
            HttpCookie device = operator.cookies.getCookieStore().getCookies().stream()
                    .filter(k -> k.getName().equals(piranha.gui.auth.DeviceCookie.NAME)).findFirst().orElseThrow();
            assertThat(device.isHttpOnly()).isTrue();
            for (int i = 0; i < piranha.gui.auth.LoginLimiter.ACCOUNT_FREE_ATTEMPTS; i++) {
                assertThat(rawLogin(g.port, "127.0.0." + (10 + i), "guess" + i, null)).startsWith("HTTP/1.1 401");
            }
            String stranger = rawLogin(g.port, "127.0.0.99", TestGui.PASSWORD, null);
            assertThat(stranger).startsWith("HTTP/1.1 429").contains("Too many failed logins for piranha from several addresses");
            assertThat(rawLogin(g.port, "127.0.0.98", TestGui.PASSWORD, device.getName() + "=forged." + device.getValue()))
                    .startsWith("HTTP/1.1 429");
            // The operator's browser, from a new address too.
            operator.login();
            assertThat(rawLogin(g.port, "127.0.0.97", TestGui.PASSWORD, device.getName() + "=" + device.getValue()))
                    .startsWith("HTTP/1.1 303");
        }
    }

    /** A POST /login from a given loopback address, as raw HTTP/1.1; the whole response. */
    static String rawLogin(int port, String from, String password, String cookie) throws Exception {
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress(from, 0));
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(60_000);
            String body = TestGui.encode(Map.of("password", password));
            String request = "POST /login HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length() + "\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n") + "\r\n" + body;
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Origin is compared on scheme, host and port exactly; the old check compared only the end of the string. */
    @Test
    void theOriginMustBeThisServerExactly() throws Exception {
        TestGui.Client c = gui.client().login();
        String self = "127.0.0.1:" + gui.port;
        for (String origin : List.of("https://" + self, "http://evil.example/?://" + self, "http://evil.example#://" + self,
                "http://user@" + self, "http://127.0.0.1", "http://127.0.0.1:" + (gui.port + 1), "http://localhost:" + gui.port,
                "null", "http://" + self + "/", "ftp://" + self, self)) {
            c.get("/virtuals");
            HttpResponse<String> r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gui.url("/virtuals/add")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestGui.encode(Map.of("csrf", c.csrf(), "version", c.version())))));
            assertThat(r.statusCode()).as(origin).isEqualTo(403);
        }
        for (String origin : List.of("http://" + self, "HTTP://127.0.0.1:" + gui.port)) {
            c.get("/global");
            HttpResponse<String> r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(gui.url("/global")))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", origin)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(TestGui.encode(Map.of("csrf", c.csrf(), "version", c.version())))));
            assertThat(r.statusCode()).as(origin).isIn(303, 200);
        }
    }
}
