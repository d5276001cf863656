package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class ControlPageTest {
    @TempDir
    Path dir;
    TestGui gui;

    @BeforeEach
    void start() throws Exception {
        gui = new TestGui(dir).withDaemons();
        gui.lvsdStatus = status("up", "connect ok");
    }

    @AfterEach
    void stop() {
        gui.close();
    }

    static JsonObject status(String health, String reason) {
        JsonObject rs = new JsonObject().put("name", "demo_rs1").put("address", "127.0.0.1").put("port", 8081)
                .put("health", health).put("override", "auto").put("weight", 1).put("configured_weight", 1)
                .put("in_table", true).put("last_check", "2026-11-22T01:02:03Z").put("reason", reason)
                .put("latency_ms", 1.25).put("checks", 12).put("active_conns", 3).put("inactive_conns", 4).put("conns", 10)
                .put("bytes_in", 100).put("bytes_out", 200);
        JsonObject svc = new JsonObject().put("name", "demo_web").put("ipvs", "-t 127.0.0.100:8080").put("protocol", "tcp")
                .put("address", "127.0.0.100").put("port", 8080).put("scheduler", "rr").put("persistent", 0)
                .put("servers", new JsonArray().add(rs));
        return new JsonObject().put("daemon", "lvsd").put("pid", 4242).put("ready", true).put("since", "2026-11-22T01:00:00Z")
                .put("backend", "userspace").put("serial_no", 1).put("services", new JsonArray().add(svc));
    }

    @Test
    void showsDirectorStateAndTheTableWithHealth() throws Exception {
        TestGui.Client c = gui.client().login();
        String body = c.get("/control").body();
        String since = StatusTimes.when("2026-11-22T01:00:00Z").toString();
        assertThat(body).contains("primary director, <strong>active</strong> since " + since + " (pid 77); no partner configured</td>")
                .contains("ready since " + since + " (pid 4242, backend userspace, serial_no 1)")
                .contains("-t 127.0.0.100:8080 rr").contains("-&gt; 127.0.0.1:8081").contains("<tr class=\"up\" id=\"rs-demo_web-127.0.0.1:8081\">")
                .contains("1.3 ms").contains("connect ok").contains("data-period=\"1\"")
                .contains("<strong>CHANGE PASSWORD:</strong> run <code>piranha-passwd</code>");
        gui.lvsdStatus = new JsonObject().put("error", "shutting down");
        assertThat(c.get("/control").body()).contains("shutting down");
    }

    @Test
    void theLastCheckShowsItsKindCodeCertificateAndSharing() throws Exception {
        JsonObject s = status("down", "HTTP 500 Internal Server Error from 127.0.0.1:8081 for GET / (expected 200-299)");
        s.getJsonArray("services").getJsonObject(0).getJsonArray("servers").getJsonObject(0).put("check", "https")
                .put("check_code", 500).put("cert_expires", "2027-01-01T00:00:00Z").put("probe_users", 2);
        gui.lvsdStatus = s;
        String body = gui.client().login().get("/control").body();
        assertThat(body).containsPattern("<td><span title=\"[^\"]+\">\\d+ s ago</span> https 500, certificate valid until"
                + " 2027-01-01T00:00:00Z, probe shared by 2<td>1.3 ms")
                .contains("probe shared by 2<td>1.3 ms<td class=\"reason\">HTTP 500 Internal Server Error from 127.0.0.1:8081 for GET / (expected 200-299)");
    }

    @Test
    void aPairShowsThePartnerAndHeartbeatsAndLvsdRestarts() throws Exception {
        gui.pulseStatus = gui.pulseStatus.copy().put("partner", "stopped").put("lastHeartbeatAgeMs", 57).put("sent", 812)
                .put("received", 806).put("rejected", 3).put("lvsdRestarts", 2);
        assertThat(gui.client().login().get("/control").body()).contains("; partner stopped, last heartbeat 57 ms ago;"
                + " heartbeats 812 sent, 806 received, 3 rejected; lvsd restarted 2 times</td>");
    }

    /** Piranha's panel listed every process whose name matched; here only the appliance's, by the pids it reports. */
    @Test
    void theProcessPanelListsThisAppliancesProcessesWithShortNames() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            // "pulse" is a process of ours with a child; lvsd's pid is one that does not run
            gui.pulseStatus = gui.pulseStatus.copy().put("pid", ProcessHandle.current().pid());
            gui.lvsdStatus = gui.lvsdStatus.copy().put("pid", Integer.MAX_VALUE);
            String body = gui.client().login().get("/control").body();
            String panel = body.substring(body.indexOf("<table class=\"procs\""));
            panel = panel.substring(0, panel.indexOf("</table>"));
            assertThat(panel).contains("<th>Name</th><th>PID</th><th>State</th><th>Uptime</th><th>RSS</th>")
                    .containsPattern("<tr><td>java</td><td>" + ProcessHandle.current().pid() + "</td><td>(running|sleeping)</td>"
                            + "<td>\\d+ (s|min \\d+ s|h \\d+ min)</td><td>\\d+ MiB</td></tr>")
                    .containsPattern("<tr><td>sleep</td><td>" + child.pid() + "</td><td>sleeping</td><td>\\d+ s</td><td>\\d+ MiB</td></tr>")
                    .doesNotContain(Integer.toString(Integer.MAX_VALUE)).doesNotContain("-cp");
        } finally {
            child.destroy();
        }
    }

    @Test
    void everyValueFromTheDaemonsIsEscaped() throws Exception {
        JsonObject s = status("down", "<script>alert('x')</script> & \"quoted\"");
        JsonObject svc = s.getJsonArray("services").getJsonObject(0);
        svc.put("name", "web\"><b>");
        svc.getJsonArray("servers").getJsonObject(0).put("name", "<img src=x>").put("override", "<u>");
        gui.lvsdStatus = s.put("backend", "<i>");
        String body = gui.client().login().get("/control").body();
        assertThat(body).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("<u>").doesNotContain("web\"><b>")
                .doesNotContain("backend <i>")
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;")
                .contains("id=\"rs-web&quot;&gt;&lt;b&gt;-127.0.0.1:8081\"").contains("&lt;img src=x&gt;")
                .contains("backend &lt;i&gt;");
    }

    @Test
    void lastCheckTimesAreReadAsInstantParseReadsThem() {
        for (String iso : java.util.List.of("2026-11-22T01:02:03Z", "2026-11-22T01:02:03.4Z", "2026-11-22T01:02:03.456Z",
                "2026-12-31T23:59:59.999999999Z", "1999-02-28T00:00:00.010Z", "2028-02-29T12:30:00.5Z")) {
            assertThat(StatusTimes.epochMillis(iso)).as(iso).isEqualTo(java.time.Instant.parse(iso).toEpochMilli());
        }
        assertThat(StatusTimes.epochMillis("2026-11-22T01:02:03+01:00")).isEqualTo(java.time.Instant.parse("2026-11-22T00:02:03Z").toEpochMilli());
        for (String bad : java.util.List.of("yesterday", "2026-13-22T01:02:03Z", "2026-02-30T01:02:03Z")) {
            assertThat(StatusTimes.epochMillis(bad)).as(bad).isEqualTo(Long.MIN_VALUE);
        }
    }

    @Test
    void sseFramesEveryLineOfTheData() {
        assertThat(ControlRoutes.sse("status", "a\nb\r\nc\rd")).isEqualTo("event: status\ndata: a\ndata: b\ndata: c\ndata: d\n\n");
        assertThat(ControlRoutes.sse("status", "a\n")).isEqualTo("event: status\ndata: a\ndata: \n\n");
    }

    @Test
    void withoutDaemonsThePageSaysSo() throws Exception {
        try (TestGui alone = new TestGui(java.nio.file.Files.createTempDirectory(dir, "alone"))) {
            String body = alone.client().login().get("/control").body();
            assertThat(body).contains("pulse not running: no control socket").contains("lvsd not running: no control socket");
        }
    }

    @Test
    void theUpdatePeriodIsConfigurableAndAutoUpdateCanBeOff() throws Exception {
        TestGui.Client c = gui.client().login();
        assertThat(c.get("/control?refresh=7&auto=on").body()).contains("data-period=\"7\"").contains("value=\"7\"");
        assertThat(c.get("/control?refresh=7").body()).contains("data-period=\"0\"");
        assertThat(c.get("/control?refresh=0&auto=on").body()).contains("data-period=\"1\"");
    }

    @Test
    void aBadUpdateFrequencyIsSaidNextToItsField() throws Exception {
        TestGui.Client c = gui.client().login();
        assertThat(c.get("/control?refresh=7").body()).doesNotContain("refresh-error").doesNotContain("aria-invalid");
        assertThat(c.get("/control?refresh=abc&auto=on").body())
                .contains("id=\"refresh\" name=\"refresh\" value=\"1\" size=\"4\" aria-invalid=\"true\" aria-describedby=\"refresh-error\">")
                .contains("<span class=\"field-error\" id=\"refresh-error\">&quot;abc&quot; is not a whole number of seconds from 1 to 3600; 1 is used.</span>");
        String huge = "9".repeat(5000);
        assertThat(c.get("/control?refresh=" + huge + "&auto=on").body()).contains("&quot;" + "9".repeat(20) + "...&quot; is not a whole number")
                .doesNotContain("9".repeat(21));
        assertThat(c.get("/control?refresh=0&auto=on").body()).contains("&quot;0&quot; is not a whole number of seconds from 1 to 3600; 1 is used.");
    }

    @Test
    void anOperatorActionIsConfirmedWithWhatItChanged() throws Exception {
        gui.onLvsdAction = r -> {
            JsonObject rs = gui.lvsdStatus.getJsonArray("services").getJsonObject(0).getJsonArray("servers").getJsonObject(0);
            if (r.getString("cmd").equals("drain")) {
                rs.put("override", "drain").put("weight", 0);
            } else if (r.getString("cmd").equals("force-down")) {
                rs.put("override", "down").put("in_table", false).put("health", "down");
            }
        };
        TestGui.Client c = gui.client().login();
        c.get("/control");
        String csrf = c.csrf();
        c.post("/server-action", java.util.Map.of("csrf", csrf, "action", "drain", "target", "demo_web 127.0.0.1:8081"));
        assertThat(c.get("/control").body()).contains("drain 127.0.0.1:8081 in demo_web: done. Changed:")
                .contains("<li><code>override: auto \u2192 drain</code></li><li><code>weight in the table: 1 \u2192 0</code></li></ul>");
        c.post("/server-action", java.util.Map.of("csrf", csrf, "action", "force-down", "target", "demo_web 127.0.0.1:8081"));
        assertThat(c.get("/control").body()).contains("override: drain \u2192 down").contains("in the table: yes \u2192 no")
                .contains("health: up \u2192 down");
        c.post("/server-action", java.util.Map.of("csrf", csrf, "action", "force-up", "target", "demo_web 127.0.0.1:8081"));
        assertThat(c.get("/control").body()).contains("force-up 127.0.0.1:8081 in demo_web: done. Nothing changed: it was in that state already.");
    }

    @Test
    void eventsStreamTheTableAsItChanges() throws Exception {
        TestGui.Client c = gui.client().login();
        HttpResponse<InputStream> r = c.http.send(HttpRequest.newBuilder(URI.create(gui.url("/events?period=1")))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            assertThat(readEvent(in)).contains("<tr class=\"up\"");
            gui.lvsdStatus = status("down", "connect to 127.0.0.1:8081 refused");
            String next = readEvent(in);
            for (int i = 0; i < 5 && !next.contains("<tr class=\"down\""); i++) {
                next = readEvent(in);
            }
            assertThat(next).contains("<tr class=\"down\" id=\"rs-demo_web-127.0.0.1:8081\">").contains("connect to 127.0.0.1:8081 refused");
        }
    }

    @Test
    void syncToPartnerIsOfferedOnlyWhenPulseNamesAPartner() throws Exception {
        TestGui.Client c = gui.client().login();
        assertThat(c.get("/control").body()).as("a lone director: nobody to sync to").doesNotContain("id=\"sync-partner\"");
        gui.pulseStatus = gui.pulseStatus.copy().put("partner", "running");
        assertThat(c.get("/control").body()).contains("<form method=\"post\" action=\"/sync\" id=\"sync-form\"")
                .contains("<button type=\"submit\" id=\"sync-partner\">SYNC TO PARTNER</button>").contains("(now running)");
        gui.pulseStatus = new JsonObject().put("error", "pulse is not running");
        assertThat(c.get("/control").body()).doesNotContain("id=\"sync-partner\"");
    }

    @Test
    void syncToPartnerSaysWhatThePartnerInstalled() throws Exception {
        gui.pulseStatus = gui.pulseStatus.copy().put("partner", "running");
        TestGui.Client c = gui.client().login();
        c.get("/control");
        HttpResponse<String> r = c.post("/sync", java.util.Map.of("csrf", c.csrf()));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(gui.pulseRequests).extracting(j -> j.getString("cmd")).containsExactly("sync");
        String page = c.get("/control").body();
        assertThat(page).contains("<div class=\"flash\" id=\"flash\" role=\"status\">Synced: lvs.cf serial_no 12 is installed on the partner 192.0.2.2:539.")
                .contains("<li><code>the partner: installed serial_no 12; pulse: nothing pulse uses; lvsd: reloaded serial_no</code></li>")
                .contains("<li><code>operator intent (drains, forced states): sent, no change</code></li>");
        assertThat(page.substring(page.indexOf("<ul id=\"timeline\""))).contains("data-kind=\"reload\"")
                .contains("<span class=\"kind\">synced</span><span>Synced: lvs.cf serial_no 12 is installed on the partner 192.0.2.2:539.");
    }

    @Test
    void syncToPartnerShowsTheRefusalsReason() throws Exception {
        gui.pulseStatus = gui.pulseStatus.copy().put("partner", "running");
        gui.pulseSyncReply = new JsonObject().put("partner", "192.0.2.2:539").put("serial", 3).put("synced", false)
                .put("error", "the partner 192.0.2.2:539 refused lvs.cf: serial_no 3 is not newer than this director's 4");
        TestGui.Client c = gui.client().login();
        c.get("/control");
        c.post("/sync", java.util.Map.of("csrf", c.csrf()));
        assertThat(c.get("/control").body()).contains("Not synced: lvs.cf was not installed on the partner 192.0.2.2:539.")
                .contains("<p class=\"error\" role=\"alert\">the partner 192.0.2.2:539 refused lvs.cf: serial_no 3 is not newer than this director&#39;s 4</p>");
    }

    @Test
    void syncToPartnerNeedsTheFormsToken() throws Exception {
        gui.pulseStatus = gui.pulseStatus.copy().put("partner", "running");
        TestGui.Client c = gui.client().login();
        c.get("/control");
        assertThat(c.post("/sync", java.util.Map.of("csrf", "forged")).statusCode()).isEqualTo(403);
        assertThat(c.post("/sync", java.util.Map.of()).statusCode()).isEqualTo(403);
        assertThat(gui.pulseRequests).isEmpty();
    }

    /** One {@code status} event's data, bounded to a few seconds by the request timeout. */
    static String readEvent(BufferedReader in) throws Exception {
        StringBuilder data = new StringBuilder();
        boolean inStatus = false;
        for (int lines = 0; lines < 100_000; lines++) {
            String line = in.readLine();
            if (line == null) {
                break;
            }
            if (line.equals("event: status")) {
                inStatus = true;
            } else if (inStatus && line.startsWith("data: ")) {
                data.append(line.substring(6)).append('\n');
            } else if (inStatus && line.isEmpty()) {
                return data.toString();
            }
        }
        return data.toString();
    }
}
