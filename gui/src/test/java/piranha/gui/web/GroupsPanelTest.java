package piranha.gui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * CONTROL/MONITORING for a director with vip_group blocks: a row per group instead of one role and
 * state. Once from a stand-in pulse's status, once against a real pulse JVM (test start: nothing on
 * the host changes; the partner's address answers nobody, so each group activates alone).
 */
class GroupsPanelTest {
    @TempDir
    Path dir;
    TestGui gui;
    PulseProcess pulse;

    @AfterEach
    void stop() throws Exception {
        if (pulse != null) pulse.close();
        if (gui != null) gui.close();
    }

    @Test
    void eachGroupWithItsStateRolePortPartnerAndVips() throws Exception {
        gui = new TestGui(dir).withDaemons();
        gui.lvsdStatus = ControlPageTest.status("up", "connect ok");
        gui.pulseStatus = new JsonObject().put("daemon", "pulse").put("pid", 4242).put("mode", "vip_groups")
                .put("role", "primary").put("state", "active").put("partner", "running").put("lvsdPid", 4243).put("lvsdRestarts", 0)
                .put("groups", new JsonArray()
                        .add(new JsonObject().put("name", "g1").put("role", "primary").put("state", "active").put("partner", "stopped")
                                .put("lastHeartbeatAgeMs", 57).put("heartbeatPort", 540).put("vips", new JsonArray().add("198.51.100.100")))
                        .add(new JsonObject().put("name", "g2").put("role", "backup").put("state", "standby").put("partner", "running")
                                .put("lastHeartbeatAgeMs", 12).put("heartbeatPort", 541).put("vips", new JsonArray().add("198.51.100.101"))));
        String body = gui.client().login().get("/control").body();
        assertThat(body).contains("VIP groups, primary of lvs.cf, <strong>active</strong> (pid 4242); active for 1 of 2 groups");
        assertThat(RoutesPanelTest.section(body)).contains("<h3>VIP groups on this director</h3>")
                .contains("<tr id=\"group-g1\"><td>g1</td><td class=\"health up\">▲ active (primary)</td><td>540</td>"
                        + "<td>stopped, last heartbeat 57 ms ago</td><td>198.51.100.100</td></tr>")
                .contains("<tr id=\"group-g2\"><td>g2</td><td class=\"health down\">▽ standby (backup)</td><td>541</td>"
                        + "<td>running, last heartbeat 12 ms ago</td><td>198.51.100.101</td></tr>");
        assertThat(body).doesNotContain("null director", "no heartbeat yet");
    }

    @Test
    void aRealPulseWithVipGroupsIsShownByItsGroups() throws Exception {
        String cf = String.join("\n", "serial_no = 1", "primary = 127.0.0.1", "backup_active = 1", "backup = 127.0.0.2",
                "heartbeat_port = 47390", "keepalive = 0.2", "deadtime = 1", "giveback_delay = 1", "network = direct",
                "vip_group g1 {", "     primary = 127.0.0.1", "     heartbeat_port = 47391", "}",
                "vip_group g2 {", "     primary = 127.0.0.2", "     heartbeat_port = 47392", "}",
                "virtual web {", "     active = 1", "     address = 203.0.113.200 lo", "     vip_group = g1", "     port = 80",
                "     server rs1 {", "         address = 198.51.100.21", "         active = 1", "     }", "}",
                "virtual mail {", "     active = 1", "     address = 203.0.113.201 lo", "     vip_group = g2", "     port = 25",
                "     server rs1 {", "         address = 198.51.100.21", "         active = 1", "     }", "}", "");
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, cf);
        pulse = PulseProcess.start(gui.lvsCf, dir.resolve("pulse.sock"), gui.lvsdSocket(), dir.resolve("pulse.out"), "active");
        TestGui.Client c = gui.client().login();
        String body = "";
        for (int i = 0; i < 100 && !body.contains("active for 2 of 2 groups"); i++) { // each group's deadtime passes on its own
            body = c.get("/control").body();
            Thread.sleep(100);
        }
        assertThat(body).as(pulse.output()).contains("VIP groups, primary of lvs.cf, <strong>active</strong>")
                .contains("active for 2 of 2 groups");
        assertThat(RoutesPanelTest.section(body)).contains("<td>g1</td><td class=\"health up\">▲ active (primary)</td><td>47391</td><td>dead")
                .contains("<td>g2</td><td class=\"health up\">▲ active (backup)</td><td>47392</td><td>dead")
                .contains("<td>203.0.113.200</td>").contains("<td>203.0.113.201</td>");
    }
}
