package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Both directors side by side on CONTROL/MONITORING, from a stand-in pulse whose status carries the
 * heartbeat paths and both directors' lvs.cf ({@code config}, {@code partnerConfig}), as pulse reports them.
 */
class DirectorsPanelTest {
    static final String DIGEST = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String OTHER = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    @TempDir
    Path dir;
    TestGui gui;

    @BeforeEach
    void start() throws Exception {
        gui = new TestGui(dir).withDaemons();
        gui.lvsdStatus = ControlPageTest.status("up", "connect ok");
    }

    @AfterEach
    void stop() {
        gui.close();
    }

    JsonObject pair(String partner, Object config, Object partnerConfig) {
        return gui.pulseStatus.copy().put("partner", partner).put("lastHeartbeatAgeMs", 40)
                .put("paths", new JsonArray().add(new JsonObject().put("name", "public").put("lastHeartbeatAgeMs", 57))
                        .add(new JsonObject().put("name", "private").putNull("lastHeartbeatAgeMs")))
                .put("config", config).put("partnerConfig", partnerConfig);
    }

    static JsonObject config(int serial, String digest) {
        return new JsonObject().put("serial", serial).put("digest", digest);
    }

    static String section(String body) {
        return body.substring(body.indexOf("<section class=\"directors-panel\""), body.indexOf("</section>", body.indexOf("id=\"directors\"")));
    }

    @Test
    void bothDirectorsWithRoleStateHeartbeatPerPathAndTheSameLvsCf() throws Exception {
        gui.pulseStatus = pair("running", config(12, DIGEST), config(12, DIGEST));
        String s = section(gui.client().login().get("/control").body());
        assertThat(s).contains("<h4>This director: primary</h4>").contains("<dd class=\"state-active\">active since ")
                .contains("serial_no 12, digest <code title=\"" + DIGEST + "\">9f86d081884c&#8230;</code>")
                .contains("<h4>Partner: backup</h4>").contains("<dd class=\"state-standby\">standby (pulse running, heartbeats arrive)</dd>")
                .contains("<dt>Heartbeats</dt><dd>public: 57 ms ago; private: none yet</dd>")
                .doesNotContain("config-differs");
        assertThat(s.indexOf("director-this")).isLessThan(s.indexOf("director-partner"));
    }

    @Test
    void aBackupWithAnotherLvsCfIsAWarning() throws Exception {
        gui.pulseStatus = pair("running", config(12, DIGEST), config(9, OTHER));
        String s = section(gui.client().login().get("/control").body());
        assertThat(s).contains("<div class=\"warning config-differs\" id=\"config-differs\"><strong>The backup's lvs.cf differs from"
                + " this primary's</strong> (serial_no 9 there, 12 here)")
                .contains("serial_no 9, digest <code title=\"" + OTHER + "\">");
        // seen from the backup
        gui.pulseStatus = pair("running", config(9, OTHER), config(12, DIGEST)).put("role", "backup").put("state", "standby");
        s = section(gui.client().login().get("/control").body());
        assertThat(s).contains("This backup's lvs.cf differs from the primary's").contains("<h4>Partner: primary</h4>")
                .contains("<dd class=\"state-active\">active (pulse running");
    }

    @Test
    void withoutConfigurationInPulsesStatusTheLinesSaySoAndNothingWarns() throws Exception {
        // a pulse that does not report the configuration yet: this director's serial_no from lvsd
        gui.pulseStatus = gui.pulseStatus.copy().put("partner", "dead").put("lastHeartbeatAgeMs", 7000);
        String s = section(gui.client().login().get("/control").body());
        assertThat(s).contains("serial_no 1 (as lvsd runs it; pulse reports no digest)").contains("not reported by pulse")
                .contains("dead (no heartbeat within deadtime)").contains("<dt>Heartbeats</dt><dd>last 7000 ms ago</dd>")
                .doesNotContain("config-differs");
        // the partner's not known yet (null), and a lone primary
        gui.pulseStatus = pair("unknown", config(12, DIGEST), null);
        assertThat(section(gui.client().login().get("/control").body())).contains("not known yet").contains("unknown (no heartbeat yet)")
                .doesNotContain("config-differs");
        gui.pulseStatus = pair("none", config(12, DIGEST), null);
        assertThat(section(gui.client().login().get("/control").body())).contains("<h4>Partner: none</h4>")
                .contains("no partner configured").doesNotContain("Heartbeats");
        gui.pulseStatus = new JsonObject().put("error", "pulse not running: no control socket");
        assertThat(section(gui.client().login().get("/control").body())).contains("Both directors' state is unknown: pulse not running");
    }

    @Test
    void valuesFromPulseAreEscaped() throws Exception {
        gui.pulseStatus = pair("running", config(12, "<script>x</script>"), config(12, "\"><b>")).put("paths",
                new JsonArray().add(new JsonObject().put("name", "<i>pub").put("lastHeartbeatAgeMs", 1)));
        String s = section(gui.client().login().get("/control").body());
        assertThat(s).doesNotContain("<script>").doesNotContain("\"><b>").doesNotContain("<i>pub")
                .contains("&lt;script&gt;").contains("&lt;i&gt;pub");
    }
}
