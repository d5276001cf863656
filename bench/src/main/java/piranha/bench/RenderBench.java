package piranha.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.CookieManager;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlServer;
import piranha.gui.GuiSettings;
import piranha.gui.auth.PasswordFile;
import piranha.gui.auth.Pbkdf2;
import piranha.gui.status.Processes;
import piranha.gui.web.GuiServer;
import piranha.gui.web.ListViews;
import piranha.gui.web.StatusPanels;
import piranha.gui.web.Templates;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfDocument;

/**
 * Server-side render time of CONTROL/MONITORING and VIRTUAL SERVERS for a large director:
 * {@code RenderBench [SERVICES [SERVERS_PER_SERVICE [ITERATIONS]]]} (default 1000 10 40). Measures
 * decoding lvsd's status reply and rendering in-process, then whole HTTP requests to a running
 * server on loopback (stand-in lvsd and pulse control sockets serving a status of that size; lvsd's
 * reply is encoded once, as lvsd's own process would do that work). Prints median and p90 in ms.
 */
public final class RenderBench {
    private RenderBench() {}

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int perService = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        Path dir = Files.createTempDirectory("piranha-gui-bench");
        Vertx vertx = Vertx.vertx();
        List<ControlServer> daemons = new ArrayList<>();
        try {
            String cf = lvsCf(services, perService);
            Path lvsCf = dir.resolve("lvs.cf");
            Files.writeString(lvsCf, cf);
            Files.writeString(dir.resolve("passwd"), PasswordFile.USER + ":" + Pbkdf2.hash("bench".toCharArray(), 1000) + "\n");
            JsonObject lvsd = lvsdStatus(services, perService);
            JsonObject pulse = new JsonObject().put("daemon", "pulse").put("pid", 1).put("role", "primary").put("state", "active")
                    .put("since", "2026-11-22T00:00:00Z").put("partner", "stopped");
            // lvsd runs in its own process on a director: its reply is encoded once here, so the
            // figures below are the GUI's work (and the client's), not lvsd's JSON encoding.
            Thread lvsdStandIn = preEncoded(dir.resolve("lvsd.sock"), (lvsd.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            daemons.add(ControlServer.start(dir.resolve("pulse.sock"), Map.of("status", r -> Future.succeededFuture(pulse)), Duration.ofSeconds(10)));
            System.out.println("piranha-gui render benchmark: " + services + " services, " + services * perService
                    + " real servers, " + iterations + " iterations after warm-up; lvs.cf " + cf.length() / 1024 + " KiB");

            Templates t = new Templates();
            LvsCfDocument doc = LvsCfDocument.parse(lvsCf.toString(), Files.readAllBytes(lvsCf), HostResolver.SYSTEM);
            if (doc.hasErrors()) {
                throw new IllegalStateException("generated lvs.cf has errors: " + doc.errors().get(0));
            }
            String reply = lvsd.encode();
            System.out.println("lvsd status reply " + reply.length() / 1024 + " KiB");
            report("lvsd status reply decoded (JSON text to JsonObject)", iterations, () -> new JsonObject(reply).size());
            JsonObject decoded = new JsonObject(reply);
            report("CONTROL/MONITORING panels, status to HTML", iterations,
                    () -> StatusPanels.render(pulse, decoded, List.of()).length());
            report("CONTROL/MONITORING page, reply decoded, to HTML", iterations, () -> {
                Map<String, Object> m = base("control");
                m.put("refresh", 10);
                m.put("auto", true);
                return StatusPanels.page(t, m, Buffer.buffer(StatusPanels.render(pulse, new JsonObject(reply), List.of()))).length();
            });
            report("VIRTUAL SERVERS, model to HTML", iterations, () -> {
                Map<String, Object> m = base("virtuals");
                m.put("version", "0");
                m.put("virtuals", ListViews.virtualRows(doc.config(), decoded));
                m.put("diagnostics", List.of());
                return t.render("virtuals", m).length();
            });
            report("VIRTUAL SERVERS, lvs.cf read and parsed, to HTML", iterations, () -> {
                LvsCfDocument d = LvsCfDocument.parse(lvsCf.toString(), Files.readAllBytes(lvsCf), HostResolver.SYSTEM);
                Map<String, Object> m = base("virtuals");
                m.put("version", "0");
                m.put("virtuals", ListViews.virtualRows(d.config(), decoded));
                m.put("diagnostics", List.of());
                return t.render("virtuals", m).length();
            });
            report("process table scan (CURRENT LVS PROCESSES)", iterations, () -> Processes.self().size());

            GuiSettings s = new GuiSettings(lvsCf, dir.resolve("passwd"), 0, "127.0.0.1", null, null, dir.resolve("pulse.sock"),
                    dir.resolve("lvsd.sock"), Duration.ofMinutes(30), 10);
            GuiServer gui = new GuiServer(vertx, s, HostResolver.SYSTEM);
            int port = gui.start().await(30, TimeUnit.SECONDS);
            HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                    .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("password=bench")).build(), HttpResponse.BodyHandlers.ofString());
            if (login.statusCode() != 303) {
                throw new IllegalStateException("login failed: " + login.statusCode());
            }
            for (String page : List.of("/control", "/virtuals")) {
                report("HTTP GET " + page + " on loopback (whole request)", iterations, () -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + page)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException(page + ": " + r.statusCode());
                    }
                    return r.body().length();
                });
            }
            gui.stop().await(10, TimeUnit.SECONDS);
            lvsdStandIn.interrupt();
        } finally {
            daemons.forEach(ControlServer::close);
            vertx.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** A control socket that answers every request with {@code reply}, on a daemon thread. */
    private static Thread preEncoded(Path socket, byte[] reply) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread t = new Thread(() -> {
            try (server) {
                while (!Thread.currentThread().isInterrupted()) {
                    try (SocketChannel c = server.accept()) {
                        ByteBuffer request = ByteBuffer.allocate(4096);
                        while (c.read(request) > 0 && request.get(request.position() - 1) != '\n' && request.hasRemaining()) {
                            // until the request's newline
                        }
                        ByteBuffer out = ByteBuffer.wrap(reply);
                        while (out.hasRemaining()) {
                            c.write(out);
                        }
                    }
                }
            } catch (IOException e) {
                // closed at the end of the run
            }
        }, "lvsd-stand-in");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Map<String, Object> base(String nav) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nav", nav);
        m.put("title", nav);
        m.put("csrf", "0123456789abcdef0123456789abcdef0123456789abcdef");
        m.put("flash", "");
        m.put("flashErrors", List.of());
        return m;
    }

    private static void report(String what, int iterations, Callable<Integer> run) throws Exception {
        int bytes = 0;
        for (int i = 0; i < Math.max(5, iterations / 2); i++) {
            bytes = run.call(); // warm-up
        }
        long[] ns = new long[iterations];
        long[] cpu = new long[iterations];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // In-process work: this thread's CPU time, apart from waiting for a core on a busy machine.
        // HTTP requests run on the server's threads: the whole process's CPU time then (server,
        // the stand-in daemons encoding their replies, and the client reading the page).
        boolean http = what.startsWith("HTTP");
        for (int i = 0; i < iterations; i++) {
            long c0 = http ? os.getProcessCpuTime() : threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            bytes = run.call();
            ns[i] = System.nanoTime() - t0;
            cpu[i] = (http ? os.getProcessCpuTime() : threads.getCurrentThreadCpuTime()) - c0;
        }
        Arrays.sort(ns);
        Arrays.sort(cpu);
        int p90 = Math.min(iterations - 1, (int) Math.ceil(iterations * 0.9) - 1);
        System.out.printf("%-52s wall median %7.1f ms  p90 %7.1f ms   %s median %7.1f ms  p90 %7.1f ms   (%d KiB)%n", what,
                ns[iterations / 2] / 1e6, ns[p90] / 1e6, http ? "process cpu" : "thread cpu", cpu[iterations / 2] / 1e6, cpu[p90] / 1e6,
                bytes / 1024);
    }

    static String lvsCf(int services, int perService) {
        StringBuilder sb = new StringBuilder(services * perService * 120);
        sb.append("serial_no = 1\nprimary = 10.0.0.1\nservice = lvs\nbackup_active = 0\nnetwork = direct\nbackend = userspace\n");
        for (int i = 0; i < services; i++) {
            String vip = "10." + (10 + i / 256) + "." + (i % 256) + ".1";
            sb.append("virtual svc_").append(i).append(" {\n     active = 1\n     address = ").append(vip).append(" eth0:").append(i)
                    .append("\n     vip_nmask = 255.255.255.0\n     port = 80\n     send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n")
                    .append("     expect = \"HTTP\"\n     use_regex = 0\n     load_monitor = none\n     scheduler = wlc\n")
                    .append("     protocol = tcp\n     timeout = 6\n     reentry = 15\n     quiesce_server = 0\n");
            for (int j = 0; j < perService; j++) {
                sb.append("     server rs_").append(j).append(" {\n         address = 10.").append(100 + i / 256).append('.')
                        .append(i % 256).append('.').append(j + 1).append("\n         active = 1\n         port = 80\n")
                        .append("         weight = ").append(1 + j % 3).append("\n     }\n");
            }
            sb.append("}\n");
        }
        return sb.toString();
    }

    static JsonObject lvsdStatus(int services, int perService) {
        JsonArray svcs = new JsonArray();
        for (int i = 0; i < services; i++) {
            String vip = "10." + (10 + i / 256) + "." + (i % 256) + ".1";
            JsonArray servers = new JsonArray();
            for (int j = 0; j < perService; j++) {
                boolean up = (i + j) % 7 != 0;
                servers.add(new JsonObject().put("name", "rs_" + j).put("address", "10." + (100 + i / 256) + "." + (i % 256) + "." + (j + 1))
                        .put("port", 80).put("health", up ? "up" : "down").put("override", "auto").put("weight", up ? 1 : 0)
                        .put("configured_weight", 1).put("in_table", up).put("last_check", "2026-11-22T01:02:03Z")
                        .put("reason", up ? "HTTP reply matched" : "connect to 10.0.0.1:80 refused").put("latency_ms", 1.2)
                        .put("active_conns", i).put("inactive_conns", j).put("conns", i * j).put("bytes_in", 1000L * i)
                        .put("bytes_out", 2000L * j));
            }
            svcs.add(new JsonObject().put("name", "svc_" + i).put("ipvs", "-t " + vip + ":80").put("protocol", "tcp")
                    .put("address", vip).put("port", 80).put("scheduler", "wlc").put("persistent", 0).put("servers", servers));
        }
        return new JsonObject().put("daemon", "lvsd").put("pid", 2).put("ready", true).put("backend", "userspace")
                .put("serial_no", 1).put("services", svcs);
    }
}
