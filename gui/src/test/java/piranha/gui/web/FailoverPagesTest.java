package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.lvscf.HostResolver;
import piranha.lvscf.LvsCfDocument;
import piranha.lvscf.model.VirtualService;

/**
 * The FAILOVER page (service = fos): the list with pulse's view of each service, ADD, EDIT of every
 * field with lvscf's validation next to the field, ACTIVATE/DEACTIVATE, DELETE; each a CSRF-checked,
 * versioned, atomic save like the other pages. CONTROL/MONITORING shows each service's state and last check.
 */
class FailoverPagesTest {
    static final String FOS = String.join("\n", "serial_no = 1", "primary = 127.0.0.1", "service = fos",
            "backup_active = 0", "# the web failover service", "failover web {", "     active = 1",
            "     address = 127.0.0.100 lo:100", "     port = 80", "     send = \"GET / HTTP/1.0\\r\\n\\r\\n\"",
            "     expect = \"HTTP\"", "     timeout = 6", "     start_cmd = \"/usr/sbin/nginx\"",
            "     stop_cmd = \"/usr/sbin/nginx -s stop\"", "}", "");
    @TempDir
    Path dir;
    TestGui gui;
    TestGui.Client c;

    @BeforeEach
    void start() throws Exception {
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, FOS).withDaemons();
        c = gui.client().login();
    }

    @AfterEach
    void stop() {
        gui.close();
    }

    LvsCfDocument doc() throws Exception {
        return LvsCfDocument.parse("lvs.cf", gui.lvsCfText(), HostResolver.NUMERIC_ONLY);
    }

    @Test
    void theListShowsEachServiceWithPulsesViewAndTheNavigationOffersIt() throws Exception {
        gui.pulseStatus = gui.pulseStatus.copy().put("failover", new JsonArray().add(new JsonObject().put("name", "web")
                .put("role", "active").put("health", "up").put("last", "got expected reply from 127.0.0.100:80")));
        String page = c.get("/failovers").body();
        assertThat(page).contains("id=\"nav-failover\"").contains("<td class=\"health up\" data-label=\"Status\">up (active)</td>")
                .contains("<td data-label=\"Virtual IP\">127.0.0.100</td>").contains("<td data-label=\"Interface\">lo:100</td>")
                .contains("<code>/usr/sbin/nginx</code>").contains("got expected reply from 127.0.0.100:80")
                .doesNotContain("id=\"not-fos\"");
        assertThat(c.get("/global").body()).contains("id=\"nav-failover\"");
    }

    @Test
    void theNavigationOffersFailoverOnlyWithServiceFos() throws Exception {
        assertThat(c.submit("/global", Map.of("service", "lvs")).statusCode()).isIn(303, 422);
        String lvsFile = gui.lvsCfText().replace("service = fos", "service = lvs");
        java.nio.file.Files.writeString(gui.lvsCf, lvsFile);
        assertThat(c.get("/global").body()).doesNotContain("id=\"nav-failover\"");
        assertThat(c.get("/failovers").body()).contains("id=\"not-fos\"");
    }

    @Test
    void addEditEveryFieldToggleAndDelete() throws Exception {
        c.get("/failovers");
        HttpResponse<String> r = c.post("/failovers/add", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/failover/1");
        VirtualService added = doc().config().failovers().get(1);
        assertThat(added.name()).isEqualTo("failover_1");
        assertThat(added.active()).isFalse();
        assertThat(gui.lvsCfText()).contains("# the web failover service"); // the rest of the file as it was

        String page = c.get("/failover/1").body();
        for (String key : new String[] {"name", "port", "protocol", "address", "vip_nmask", "timeout", "fall", "send",
                "expect", "use_regex", "start_cmd", "stop_cmd", "active"}) {
            assertThat(page).as(key).contains("name=\"" + key + "\"");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("name", "dns");
        fields.put("port", "53");
        fields.put("protocol", "udp");
        fields.put("address", "127.0.0.101 lo:101");
        fields.put("vip_nmask", "255.255.255.0");
        fields.put("timeout", "3");
        fields.put("fall", "2");
        fields.put("send", "");
        fields.put("expect", "");
        fields.put("use_regex", "0");
        fields.put("start_cmd", "/usr/sbin/named -f -u bind");
        fields.put("stop_cmd", "/usr/sbin/rndc stop");
        fields.put("active", "1");
        r = c.submit("/failover/1", fields);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        VirtualService dns = doc().config().failovers().get(1);
        assertThat(dns.name()).isEqualTo("dns");
        assertThat(dns.port()).isEqualTo(53);
        assertThat(dns.protocol().keyword()).isEqualTo("udp");
        assertThat(dns.address().orElseThrow().device()).isEqualTo("lo:101");
        assertThat(dns.timeout()).isEqualTo(3);
        assertThat(dns.value("fall")).isEqualTo(2);
        assertThat(dns.value("start_cmd")).isEqualTo("/usr/sbin/named -f -u bind");
        assertThat(dns.value("stop_cmd")).isEqualTo("/usr/sbin/rndc stop");
        assertThat(dns.active()).isTrue();
        assertThat(doc().hasErrors()).isFalse();
        assertThat(doc().config().globals().serialNo()).isEqualTo(3);
        assertThat(c.get("/failover/1").body()).contains("Saved; serial_no is now 3")
                .contains("value=\"/usr/sbin/named -f -u bind\"");

        c.get("/failovers");
        assertThat(c.post("/failover/1/toggle", Map.of("csrf", c.csrf(), "version", c.version())).statusCode()).isEqualTo(303);
        assertThat(doc().config().failovers().get(1).active()).isFalse();
        c.get("/failovers");
        assertThat(c.post("/failover/1/toggle", Map.of("csrf", c.csrf(), "version", c.version())).statusCode()).isEqualTo(303);
        assertThat(doc().config().failovers().get(1).active()).isTrue();
        c.get("/failovers");
        assertThat(c.post("/failover/0/delete", Map.of("csrf", c.csrf(), "version", c.version())).statusCode()).isEqualTo(303);
        assertThat(doc().config().failovers()).extracting(VirtualService::name).containsExactly("dns");
    }

    @Test
    void whatPulseWouldRefuseIsShownAtItsFieldAndNothingIsSaved() throws Exception {
        String before = gui.lvsCfText();
        HttpResponse<String> r = c.submit("/failover/0", Map.of("start_cmd", "nginx -g daemon"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-start_cmd\"").contains("must start with an absolute path")
                .contains("value=\"nginx -g daemon\"");
        r = c.submit("/failover/0", Map.of("fall", "0"));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("id=\"error-fall\">fall: 0 is out of range (1 to 1000)</span>");
        assertThat(gui.lvsCfText()).isEqualTo(before);
        // the last active failover service switched off: service = fos has nothing to run
        c.get("/failovers");
        c.post("/failover/0/toggle", Map.of("csrf", c.csrf(), "version", c.version()));
        assertThat(c.get("/failovers").body()).contains("Nothing was saved").contains("no active failover services");
        assertThat(gui.lvsCfText()).isEqualTo(before);
    }

    @Test
    void staleFormsAndMissingTokensAreRefused() throws Exception {
        String before = gui.lvsCfText();
        c.get("/failover/0");
        String version = c.version();
        String csrf = c.csrf();
        assertThat(c.post("/failover/0", Map.of("version", version, "port", "81")).statusCode()).isEqualTo(403);
        java.nio.file.Files.writeString(gui.lvsCf, before + "# edited by hand\n");
        assertThat(c.post("/failover/0", Map.of("csrf", csrf, "version", version, "port", "81")).statusCode()).isEqualTo(409);
        assertThat(gui.lvsCfText()).isEqualTo(before + "# edited by hand\n");
    }

    @Test
    void controlShowsEachFailoverServiceAndTrackedCheck() throws Exception {
        gui.pulseStatus = gui.pulseStatus.copy()
                .put("failover", new JsonArray().add(new JsonObject().put("name", "web").put("role", "active")
                        .put("health", "failed").put("last", "failover web: check of 127.0.0.100:80 failed 1 time(s): <refused>")))
                .put("track", new JsonArray().add(new JsonObject().put("name", "haproxy").put("kind", "process")
                        .put("target", "haproxy").put("health", "passing").put("last", "process haproxy runs (pid 7)")
                        .put("lastAgeMs", 1500)));
        String page = c.get("/control").body();
        assertThat(page).contains("id=\"failover-status\"")
                .contains("<tr id=\"failover-web\"><td>web</td><td>failover service</td><td>active</td>"
                        + "<td class=\"health down\">▼ failed</td><td>failover web: check of 127.0.0.100:80 failed 1 time(s): &lt;refused&gt;</td></tr>")
                .contains("<tr id=\"track-haproxy\"><td>haproxy</td><td>track process haproxy</td><td>checked</td>"
                        + "<td class=\"health up\">▲ passing</td><td>process haproxy runs (pid 7) (1.5 s ago)</td></tr>");
    }
}
