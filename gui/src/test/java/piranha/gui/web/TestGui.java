package piranha.gui.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlServer;
import piranha.gui.GuiSettings;
import piranha.gui.auth.PasswordFile;
import piranha.gui.auth.Pbkdf2;
import piranha.lvscf.HostResolver;

/**
 * A GUI server on a loopback port with its own lvs.cf, password file and control sockets for pulse
 * and lvsd (stand-ins on real UNIX sockets recording every request, or a real lvsd started by the
 * test on {@link #lvsdSocket}), plus an HTTP client with a cookie jar.
 */
final class TestGui implements AutoCloseable {
    static final String PASSWORD = "correct horse";
    static final String DEMO;

    static {
        try (InputStream in = TestGui.class.getResourceAsStream("/demo-lvs.cf")) {
            DEMO = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Path dir;
    final Path lvsCf;
    final Path passwd;
    final Vertx vertx = Vertx.vertx();
    final GuiServer server;
    final int port;
    final String scheme;
    final List<JsonObject> lvsdRequests = new CopyOnWriteArrayList<>();
    final List<JsonObject> pulseRequests = new CopyOnWriteArrayList<>();
    volatile JsonObject lvsdStatus = new JsonObject().put("daemon", "lvsd").put("pid", 4242).put("ready", true)
            .put("since", "2026-11-22T01:00:00Z").put("backend", "userspace").put("serial_no", 1)
            .put("services", new io.vertx.core.json.JsonArray());
    /** pulse's status as pulse sends it (pulse/README.md): a lone primary. */
    volatile JsonObject pulseStatus = new JsonObject().put("daemon", "pulse").put("pid", 77).put("role", "primary")
            .put("state", "active").put("since", "2026-11-22T01:00:00Z").put("inhibit", new io.vertx.core.json.JsonArray())
            .put("partner", "none").put("lastHeartbeatAgeMs", null).put("sent", 0).put("received", 0).put("rejected", 0)
            .put("lvsdPid", 4242).put("lvsdRestarts", 0);
    private final List<ControlServer> daemons = new ArrayList<>();

    TestGui(Path dir) throws Exception {
        this(dir, Duration.ofMinutes(15), null, null);
    }

    TestGui(Path dir, Duration idle, Path cert, Path key) throws Exception {
        this(dir, idle, cert, key, DEMO);
    }

    TestGui(Path dir, Duration idle, Path cert, Path key, String lvsCfText) throws Exception {
        this.dir = dir;
        lvsCf = dir.resolve("lvs.cf");
        passwd = dir.resolve("piranha.passwd");
        Files.writeString(lvsCf, lvsCfText);
        // A low iteration count keeps the many logins of the suite quick; the format is the real one.
        Files.writeString(passwd, PasswordFile.USER + ":" + Pbkdf2.hash(PASSWORD.toCharArray(), 1000) + "\n");
        GuiSettings s = new GuiSettings(lvsCf, passwd, 0, "127.0.0.1", cert, key, dir.resolve("pulse.sock"),
                lvsdSocket(), idle, 1);
        server = new GuiServer(vertx, s, HostResolver.SYSTEM);
        port = server.start().await(20, TimeUnit.SECONDS);
        scheme = cert == null ? "http" : "https";
    }

    /** Stand-in lvsd and pulse answering the control protocol with what each test sets. */
    TestGui withDaemons() throws IOException {
        return withStandInLvsd().withStandInPulse();
    }

    /** Where the GUI looks for lvsd's control socket. */
    Path lvsdSocket() {
        return dir.resolve("lvsd.sock");
    }

    TestGui withStandInLvsd() throws IOException {
        daemons.add(ControlServer.start(lvsdSocket(), Map.of(
                "status", req -> record(lvsdRequests, req, r -> lvsdStatus),
                "reload", req -> record(lvsdRequests, req, r -> new JsonObject().put("reloaded", true)
                        .put("changes", new io.vertx.core.json.JsonArray().add("reloaded serial_no"))),
                "drain", req -> record(lvsdRequests, req, this::action),
                "force-down", req -> record(lvsdRequests, req, this::action),
                "force-up", req -> record(lvsdRequests, req, this::action),
                "auto", req -> record(lvsdRequests, req, this::action)), Duration.ofSeconds(5)));
        return this;
    }

    /** What the stand-in lvsd does on an operator action besides answering ok (a test may change {@link #lvsdStatus}). */
    volatile java.util.function.Consumer<JsonObject> onLvsdAction = r -> {};

    private JsonObject action(JsonObject request) {
        onLvsdAction.accept(request);
        return new JsonObject().put("ok", true);
    }

    /**
     * pulse's answer to {@code sync} (pulse/README.md, "Config sync"): by default the partner installed
     * lvs.cf and the operator's intent went with it, as a real pulse with a partner answers.
     */
    volatile JsonObject pulseSyncReply = new JsonObject().put("partner", "192.0.2.2:539").put("serial", 12)
            .put("digest", "ab".repeat(32)).put("synced", true)
            .put("reason", "installed serial_no 12; pulse: nothing pulse uses; lvsd: reloaded serial_no")
            .put("intent", new JsonObject().put("synced", true).put("partner", "192.0.2.2:539").put("reason", "no change"));

    /** Answers status with {@link #pulseStatus}, reload as pulse does after its lvsd reloaded, sync with {@link #pulseSyncReply}. */
    TestGui withStandInPulse() throws IOException {
        daemons.add(ControlServer.start(dir.resolve("pulse.sock"), Map.of(
                "status", req -> record(pulseRequests, req, r -> pulseStatus),
                "sync", req -> record(pulseRequests, req, r -> pulseSyncReply),
                "reload", req -> record(pulseRequests, req, r -> new JsonObject().put("reloaded", true)
                        .put("pulse", new JsonObject().put("applied", true).put("changes", new io.vertx.core.json.JsonArray()))
                        .put("lvsd", new JsonObject().put("applied", true).put("asked", true)
                                .put("changes", new io.vertx.core.json.JsonArray().add("reloaded serial_no"))))),
                Duration.ofSeconds(5)));
        return this;
    }

    private static Future<JsonObject> record(List<JsonObject> log, JsonObject req, Function<JsonObject, JsonObject> reply) {
        if (!req.getString("cmd").equals("status")) {
            log.add(req);
        }
        return Future.succeededFuture(reply.apply(req));
    }

    String url(String path) {
        return scheme + "://127.0.0.1:" + port + path;
    }

    String lvsCfText() throws IOException {
        return Files.readString(lvsCf);
    }

    Client client() {
        return new Client();
    }

    @Override
    public void close() {
        daemons.forEach(ControlServer::close);
        try {
            server.stop().await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the port goes with the Vert.x instance anyway
        }
        vertx.close();
    }

    /** A browser stand-in: keeps cookies, never follows redirects, remembers the last page's tokens. */
    final class Client {
        final CookieManager cookies = new CookieManager();
        final HttpClient http;
        String lastBody = "";

        Client() {
            HttpClient.Builder b = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5));
            if (scheme.equals("https")) {
                b.sslContext(Tls.trustAll());
            }
            http = b.build();
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url(path))).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encode(form))));
        }

        HttpResponse<String> method(String method, String path, Map<String, String> form) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(url(path)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .method(method, method.equals("HEAD") || method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(encode(form))));
        }

        HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            lastBody = r.body();
            return r;
        }

        Client login() throws Exception {
            HttpResponse<String> r = post("/login", Map.of("password", PASSWORD));
            if (r.statusCode() != 303) {
                throw new AssertionError("login failed: " + r.statusCode() + " " + r.body());
            }
            return this;
        }

        String csrf() {
            return hidden("csrf");
        }

        String version() {
            return hidden("version");
        }

        String hidden(String name) {
            Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(lastBody);
            if (!m.find()) {
                throw new AssertionError("no " + name + " on the page: " + lastBody);
            }
            return m.group(1);
        }

        /** Loads a page, then posts its form with the page's tokens and {@code fields}. */
        HttpResponse<String> submit(String path, Map<String, String> fields) throws Exception {
            get(path);
            Map<String, String> form = new LinkedHashMap<>(fields);
            form.put("csrf", csrf());
            form.put("version", version());
            return post(path, form);
        }
    }

    static String encode(Map<String, String> form) {
        StringBuilder sb = new StringBuilder();
        form.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }
}
