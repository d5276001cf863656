package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.model.VirtualService;

class ConfigPagesTest {
    @TempDir
    Path dir;
    TestGui gui;
    TestGui.Client c;

    static final List<String> PAGES = List.of("/control", "/global", "/redundancy", "/virtuals", "/virtual/0",
            "/virtual/0/scripts", "/virtual/0/servers", "/virtual/0/server/0", "/virtual/0/server/1", "/apply");

    @BeforeEach
    void start() throws Exception {
        gui = new TestGui(dir).withDaemons();
        c = gui.client().login();
    }

    @AfterEach
    void stop() {
        gui.close();
    }

    LvsCfDocument doc() throws Exception {
        return LvsCfDocument.parse("lvs.cf", gui.lvsCfText());
    }

    @Test
    void viewingPagesNeverWritesTheFile() throws Exception {
        byte[] before = Files.readAllBytes(gui.lvsCf);
        var mtime = Files.getLastModifiedTime(gui.lvsCf);
        for (String p : PAGES) {
            assertThat(c.get(p).statusCode()).as(p).isEqualTo(200);
        }
        assertThat(Files.readAllBytes(gui.lvsCf)).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(gui.lvsCf)).isEqualTo(mtime);
    }

    @Test
    void pagesShowEveryFieldWithItsHelpAndValue() throws Exception {
        String v = c.get("/virtual/0").body();
        assertThat(v).contains("value=\"127.0.0.100 lo:100\"").contains("Virtual IP and the device")
                .contains("<option value=\"sed\">sed</option>").contains("<option value=\"nq\">nq</option>")
                .contains("<option value=\"rr\" selected>rr</option>");
        String g = c.get("/global").body();
        assertThat(g).contains("name=\"backend\"").contains("<option value=\"userspace\" selected>").contains("lvsd&#39;s table backend");
        String r = c.get("/redundancy").body();
        assertThat(r).contains("name=\"keepalive\"").contains("fractions such as 0.1").contains("value=\"539\"");
        String s = c.get("/virtual/0/scripts").body();
        assertThat(s).contains("value=\"GET / HTTP/1.0\\r\\n\\r\\n\"").contains("value=\"HTTP\"");
        String rs = c.get("/virtual/0/server/1").body();
        assertThat(rs).contains("value=\"demo_rs2\"").contains("value=\"8082\"");
    }

    @Test
    void blankSendRemovesTheSendStringAndNothingElse() throws Exception {
        String before = gui.lvsCfText();
        String page = c.get("/virtual/0/scripts").body();
        // Outside the main form (Enter means ACCEPT), tied to its own form carrying only the tokens.
        assertThat(page).contains("<button type=\"submit\" form=\"blank-form-send\" id=\"blank-send\" class=\"secondary\">BLANK SEND</button>")
                .contains("<input type=\"hidden\" name=\"blank\" value=\"send\">");
        assertThat(page.indexOf("id=\"blank-form-send\"")).isGreaterThan(page.indexOf("id=\"accept\""));
        // A field typed meanwhile in the main form is not part of BLANK SEND's request, and a
        // "blank" naming a field that has no such button is an ordinary (empty) save.
        HttpResponse<String> r = c.post("/virtual/0/scripts", Map.of("csrf", c.csrf(), "version", c.version(), "blank", "send",
                "expect", "changed"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(gui.lvsCfText()).isEqualTo(before.replace("serial_no = 1", "serial_no = 2")
                .replace("     send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n", ""));
        assertThat(doc().config().virtuals().get(0).send()).isEmpty();
        assertThat(c.get("/virtual/0/scripts").body()).contains("id=\"f-send\" name=\"send\" value=\"\"");
        String now = gui.lvsCfText();
        r = c.post("/virtual/0/scripts", Map.of("csrf", c.csrf(), "version", c.version(), "blank", "expect"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(gui.lvsCfText()).isEqualTo(now);
    }

    @Test
    void aSaveChangesOnlyItsLinesAndBumpsSerialOnce() throws Exception {
        String before = gui.lvsCfText();
        HttpResponse<String> r = c.submit("/virtual/0", Map.of("scheduler", "wlc", "port", "8080", "name", "demo_web"));
        assertThat(r.statusCode()).isEqualTo(303);
        String after = gui.lvsCfText();
        assertThat(after).isEqualTo(before.replace("serial_no = 1", "serial_no = 2").replace("scheduler = rr", "scheduler = wlc"));
        // Comments survive; resubmitting the same values writes nothing.
        assertThat(after).contains("# Health check: send this, expect a reply starting with HTTP.");
        r = c.submit("/virtual/0", Map.of("scheduler", "wlc"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(gui.lvsCfText()).isEqualTo(after);
        assertThat(c.get("/virtual/0").body()).contains("Nothing changed.");
    }

    @Test
    void anEmptyFieldRemovesTheKeySoTheDefaultApplies() throws Exception {
        assertThat(c.submit("/virtual/0", Map.of("reentry", "")).statusCode()).isEqualTo(303);
        assertThat(gui.lvsCfText()).doesNotContain("reentry");
        assertThat(doc().config().virtuals().get(0).reentry()).isEqualTo(180);
    }

    @Test
    void invalidValuesAreShownNextToTheFieldAndNothingIsWritten() throws Exception {
        String before = gui.lvsCfText();
        HttpResponse<String> r = c.submit("/virtual/0", Map.of("port", "80x", "scheduler", "WLC", "pmask", "255.0.255.0"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-port\"").contains("id=\"error-scheduler\"")
                .contains("did you mean &#39;wlc&#39;").contains("id=\"error-pmask\"").contains("value=\"80x\"");
        assertThat(gui.lvsCfText()).isEqualTo(before);
        // lvscf checks across keys once every value reads.
        r = c.submit("/virtual/0", Map.of("timeout", "0"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-timeout\"");
        assertThat(gui.lvsCfText()).isEqualTo(before);
    }

    @Test
    void crossKeyValidationLandsOnTheField() throws Exception {
        String before = gui.lvsCfText();
        HttpResponse<String> r = c.submit("/redundancy", Map.of("backup_active", "1", "backup", "127.0.0.2",
                "keepalive", "6", "deadtime", "3"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-deadtime\"");
        assertThat(gui.lvsCfText()).isEqualTo(before);
        r = c.submit("/redundancy", Map.of("backup_active", "1", "backup", "127.0.0.2", "keepalive", "0.5", "deadtime", "2.5"));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(doc().config().globals().serialNo()).isEqualTo(2);
        assertThat(gui.lvsCfText()).contains("keepalive = 0.5\n").contains("deadtime = 2.5\n").contains("backup = 127.0.0.2\n");
    }

    @Test
    void theMonitoringScriptsPageEditsTheChecksOfTheField() throws Exception {
        String page = c.get("/virtual/0/scripts").body();
        assertThat(page).contains("<select id=\"f-check\" name=\"check\"").contains("<option value=\"https\">https</option>")
                .contains("<select id=\"f-dns_type\" name=\"dns_type\"").contains("<option value=\"SOA\">SOA</option>")
                .contains("id=\"f-http_status\"").contains("placeholder=\"default: 200-299\"")
                .contains("id=\"f-check_script\"").contains("id=\"f-tls_ca\"").contains("id=\"f-rise\"")
                .contains("id=\"f-http_keepalive\"");
        String before = gui.lvsCfText();
        HttpResponse<String> r = c.submit("/virtual/0/scripts", Map.of("send", "", "expect", "", "check", "http",
                "http_path", "/healthz", "http_status", "200-299,301", "http_expect", "status: (ok|green)", "rise", "2",
                "http_keepalive", "1"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        var v = doc().config().virtuals().get(0);
        assertThat(v.value("check")).hasToString("HTTP");
        assertThat(v.value("http_path")).isEqualTo("/healthz");
        assertThat(v.value("http_status")).hasToString("200-299,301");
        assertThat(v.value("http_expect")).isEqualTo("status: (ok|green)");
        assertThat(v.value("http_keepalive")).isEqualTo(true);
        assertThat(gui.lvsCfText()).contains("check = http\n").contains("http_status = 200-299,301\n").contains("http_keepalive = 1\n")
                .doesNotContain("send =");

        String saved = gui.lvsCfText();
        r = c.submit("/virtual/0/scripts", Map.of("http_status", "2x0"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-http_status\"").contains("is not a status code");
        r = c.submit("/virtual/0/scripts", Map.of("check", "dns"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-check\"").contains("check = dns needs dns_name");
        r = c.submit("/virtual/0/scripts", Map.of("check", "script", "check_script", "/usr/libexec/check-web %h %p",
                "check_script_user", "root"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-check_script_user\"");
        assertThat(gui.lvsCfText()).isEqualTo(saved);

        r = c.submit("/virtual/0/scripts", Map.of("check", "script", "check_script", "/usr/libexec/check-web %h %p",
                "http_path", "", "http_status", "", "http_expect", ""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        assertThat(doc().config().virtuals().get(0).value("check_script")).isEqualTo("/usr/libexec/check-web %h %p");
        assertThat(before).isNotEqualTo(gui.lvsCfText());
    }

    @Test
    void aFormFromAnOlderVersionIsRefused() throws Exception {
        TestGui.Client other = gui.client().login();
        c.get("/global");
        String csrf = c.csrf();
        String staleVersion = c.version();
        assertThat(other.submit("/global", Map.of("network", "direct")).statusCode()).isEqualTo(303);
        String afterOther = gui.lvsCfText();
        HttpResponse<String> r = c.post("/global", Map.of("csrf", csrf, "version", staleVersion, "network", "tunnel"));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("lvs.cf was changed (serial_no is now 2) since this page was loaded; nothing was saved");
        assertThat(gui.lvsCfText()).isEqualTo(afterOther).contains("network = direct");
        // A change made with a text editor counts the same.
        c.get("/global");
        String v = c.version();
        Files.writeString(gui.lvsCf, afterOther + "# edited by hand\n");
        assertThat(c.post("/global", Map.of("csrf", c.csrf(), "version", v, "network", "tunnel")).statusCode()).isEqualTo(409);
        assertThat(gui.lvsCfText()).endsWith("# edited by hand\n");
    }

    @Test
    void virtualServersAddToggleDelete() throws Exception {
        c.get("/virtuals");
        HttpResponse<String> r = c.post("/virtuals/add", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/virtual/1");
        VirtualService added = doc().config().virtuals().get(1);
        assertThat(added.name()).isEqualTo("service_1");
        assertThat(added.active()).isFalse();
        assertThat(added.timeout()).isEqualTo(6);
        assertThat(added.reentry()).isEqualTo(15);
        assertThat(added.send()).hasValue("GET / HTTP/1.0\\r\\n\\r\\n");
        assertThat(doc().config().globals().serialNo()).isEqualTo(2);

        // Activating a service without an address is refused with lvscf's reason.
        c.get("/virtuals");
        r = c.post("/virtual/1/toggle", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(c.get("/virtuals").body()).contains("Nothing was saved").contains("address");
        assertThat(doc().config().virtuals().get(1).active()).isFalse();

        assertThat(c.submit("/virtual/1", Map.of("address", "127.0.0.101 lo:101")).statusCode()).isEqualTo(303);
        c.get("/virtuals");
        assertThat(c.post("/virtual/1/toggle", Map.of("csrf", c.csrf(), "version", c.version())).statusCode()).isEqualTo(303);
        assertThat(doc().config().virtuals().get(1).active()).isTrue();

        c.get("/virtuals");
        assertThat(c.post("/virtual/0/delete", Map.of("csrf", c.csrf(), "version", c.version())).statusCode()).isEqualTo(303);
        assertThat(doc().config().virtuals()).extracting(VirtualService::name).containsExactly("service_1");
        assertThat(doc().hasErrors()).isFalse();
        assertThat(gui.lvsCfText()).contains("# This director's public address");
    }

    @Test
    void realServersAddEditToggleDelete() throws Exception {
        c.get("/virtual/0/servers");
        HttpResponse<String> r = c.post("/virtual/0/servers/add", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(r.headers().firstValue("Location")).hasValue("/virtual/0/server/2");
        r = c.submit("/virtual/0/server/2", Map.of("name", "rs3", "address", "127.0.0.1", "port", "8083", "weight", "3", "active", "1"));
        assertThat(r.statusCode()).isEqualTo(303);
        var s = doc().config().virtuals().get(0).servers().get(2);
        assertThat(s.name()).isEqualTo("rs3");
        assertThat(s.port()).isEqualTo(8083);
        assertThat(s.weight()).isEqualTo(3);
        assertThat(s.active()).isTrue();
        c.get("/virtual/0/servers");
        c.post("/virtual/0/server/2/toggle", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(doc().config().virtuals().get(0).servers().get(2).active()).isFalse();
        c.get("/virtual/0/servers");
        c.post("/virtual/0/server/0/delete", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(doc().config().virtuals().get(0).servers()).extracting(x -> x.name()).containsExactly("demo_rs2", "rs3");
        assertThat(doc().config().globals().serialNo()).isEqualTo(5);
        assertThat(c.get("/virtual/0/server/9").statusCode()).isEqualTo(404);
        assertThat(c.get("/virtual/7").statusCode()).isEqualTo(404);
    }

    /** pulse answers reload itself, then has lvsd reload: the GUI asks pulse alone (pulse used to refuse "reload"). */
    @Test
    void applyShowsTheChangesAndAsksPulseWhichReloadsLvsd() throws Exception {
        assertThat(c.get("/apply").body()).contains("No changes.");
        c.submit("/virtual/0", Map.of("scheduler", "lc"));
        HttpResponse<String> page = c.get("/apply");
        assertThat(page.body()).contains("-      scheduler = rr").contains("+      scheduler = lc").contains("+ serial_no = 2");
        HttpResponse<String> r = c.post("/apply", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("<div class=\"result ok\" id=\"result-pulse\">\n<strong>pulse</strong>: reloaded; nothing pulse uses changed")
                .contains("<div class=\"result ok\" id=\"result-lvsd\">\n<strong>lvsd</strong>: reloaded; 1 change:")
                .contains("<li>reloaded serial_no</li>").contains("Applied.")
                // what was applied: the lines sent, under their own heading
                .contains("<h3>Changes sent to the daemons</h3>").contains("+      scheduler = lc");
        assertThat(gui.pulseRequests).extracting(j -> j.getString("cmd")).containsExactly("reload");
        assertThat(gui.lvsdRequests).isEmpty();
        assertThat(c.get("/apply").body()).contains("No changes.");
    }

    @Test
    void withoutPulseApplyAsksLvsdDirectly() throws Exception {
        try (TestGui lvsdOnly = new TestGui(Files.createTempDirectory(dir, "lvsd-only")).withStandInLvsd()) {
            TestGui.Client a = lvsdOnly.client().login();
            a.submit("/virtual/0", Map.of("scheduler", "lc"));
            a.get("/apply");
            HttpResponse<String> r = a.post("/apply", Map.of("csrf", a.csrf(), "version", a.version()));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("Applied.").contains("<div class=\"result skipped\" id=\"result-pulse\">")
                    .contains("pulse is not running: no control socket").contains("lvsd asked directly")
                    .contains("<li>reloaded serial_no</li>");
            assertThat(lvsdOnly.lvsdRequests).extracting(j -> j.getString("cmd")).containsExactly("reload");
        }
    }

    /** The Status columns are health as lvsd reports it, not lvs.cf's active flag. */
    @Test
    void listsShowHealthFromLvsd() throws Exception {
        assertThat(c.get("/virtuals").body()).contains("<td class=\"health unknown\" data-label=\"Status\">not applied</td><td data-label=\"Name\">demo_web</td>");
        gui.lvsdStatus = new JsonObject().put("daemon", "lvsd").put("services", new JsonArray().add(new JsonObject()
                .put("name", "demo_web").put("servers", new JsonArray()
                        .add(new JsonObject().put("name", "demo_rs1").put("address", "127.0.0.1").put("health", "up").put("override", "auto"))
                        .add(new JsonObject().put("name", "demo_rs2").put("address", "127.0.0.1").put("health", "down").put("override", "drain")))));
        String virtuals = c.get("/virtuals").body();
        assertThat(virtuals).contains("<td class=\"health degraded\" data-label=\"Status\">degraded</td><td data-label=\"Name\">demo_web</td>").contains("<td data-label=\"Real servers\">1 up / 2</td>");
        String servers = c.get("/virtual/0/servers").body();
        assertThat(servers).contains("<td class=\"health up\" data-label=\"Status\">up</td><td data-label=\"Name\">demo_rs1</td>")
                .contains("<td class=\"health down\" data-label=\"Status\">down (drain)</td><td data-label=\"Name\">demo_rs2</td>");
        c.post("/virtual/0/server/1/toggle", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(c.get("/virtual/0/servers").body()).contains("<td class=\"health inactive\" data-label=\"Status\">inactive</td><td data-label=\"Name\">demo_rs2</td>");
        gui.lvsdStatus = new JsonObject().put("error", "lvsd not running: no control socket at /x");
        assertThat(c.get("/virtuals").body()).contains("unknown (lvsd: lvsd not running: no control socket at /x)");
    }

    @Test
    void applyRefusesAFileWithErrorsAndReportsAbsentDaemons() throws Exception {
        Files.writeString(gui.lvsCf, gui.lvsCfText().replace("timeout = 2", "timeout = 0"));
        HttpResponse<String> page = c.get("/apply");
        assertThat(page.body()).contains("error").doesNotContain("id=\"apply\"");
        c.get("/virtuals");
        HttpResponse<String> r = c.post("/apply", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(gui.lvsdRequests).isEmpty();
        try (TestGui alone = new TestGui(Files.createTempDirectory(dir, "alone"))) {
            TestGui.Client a = alone.client().login();
            a.submit("/virtual/0", Map.of("scheduler", "lc"));
            a.get("/apply");
            r = a.post("/apply", Map.of("csrf", a.csrf(), "version", a.version()));
            assertThat(r.statusCode()).isEqualTo(502);
            assertThat(r.body()).contains("pulse is not running: no control socket").contains("lvsd is not running: no control socket")
                    .contains("Not applied: see below.");
        }
    }

    @Test
    void operatorActionsGoToLvsd() throws Exception {
        c.get("/control");
        String csrf = c.csrf();
        for (String action : List.of("drain", "force-down", "force-up", "auto")) {
            Map<String, String> form = new LinkedHashMap<>(Map.of("csrf", csrf, "action", action, "service", "demo_web",
                    "server", "127.0.0.1:8081"));
            assertThat(c.post("/server-action", form).statusCode()).isEqualTo(303);
        }
        assertThat(gui.lvsdRequests).extracting(j -> j.getString("cmd")).containsExactly("drain", "force-down", "force-up", "auto");
        assertThat(gui.lvsdRequests.get(0).getString("service")).isEqualTo("demo_web");
        assertThat(gui.lvsdRequests.get(0).getString("server")).isEqualTo("127.0.0.1:8081");
        // The table's radio button names the server as "SERVICE IP:PORT".
        c.post("/server-action", Map.of("csrf", csrf, "action", "drain", "target", "demo_web 127.0.0.1:8082"));
        assertThat(gui.lvsdRequests).hasSize(5);
        assertThat(gui.lvsdRequests.get(4).getString("server")).isEqualTo("127.0.0.1:8082");
        c.post("/server-action", Map.of("csrf", csrf, "action", "rm -rf /", "service", "x", "server", "y"));
        assertThat(gui.lvsdRequests).hasSize(5);
        assertThat(c.get("/control").body()).contains("Choose a real server");
    }
}
