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
 * CONTROL/MONITORING for an active-active director: each VIP's route and BIRD instead of a partner.
 * Once from a stand-in pulse's status (a withdrawn route, BIRD's sessions), once against a real pulse
 * JVM in {@code director_mode = active_active} (test start: nothing on the host changes).
 */
class RoutesPanelTest {
    @TempDir
    Path dir;
    TestGui gui;
    PulseProcess pulse;

    @AfterEach
    void stop() throws Exception {
        if (pulse != null) pulse.close();
        if (gui != null) gui.close();
    }

    static String section(String body) {
        int start = body.indexOf("<section class=\"directors-panel\"");
        return body.substring(start, body.indexOf("</section>", start));
    }

    @Test
    void eachRouteAndBirdWithItsSessionsFromPulsesStatus() throws Exception {
        gui = new TestGui(dir).withDaemons();
        gui.lvsdStatus = ControlPageTest.status("up", "connect ok");
        gui.pulseStatus = new JsonObject().put("daemon", "pulse").put("pid", 4242).put("mode", "active_active")
                .put("state", "active").put("since", "2026-12-05T10:00:00Z")
                .put("routes", new JsonArray()
                        .add(new JsonObject().put("vip", "203.0.113.200").put("announced", true).put("services", new JsonArray().add("web")))
                        .add(new JsonObject().put("vip", "203.0.113.201").put("announced", false)
                                .put("reason", "virtual dns: no real server up").put("services", new JsonArray().add("dns"))))
                .put("linksDown", new JsonArray()).put("lvsdPid", 4243).put("lvsdRestarts", 0)
                .put("bird", new JsonObject().put("pid", 4244).put("state", "running").put("restarts", 0).put("sessions", new JsonArray()
                        .add(new JsonObject().put("protocol", "router1").put("state", "up").put("info", "Established"))))
                .put("peers", new JsonObject().put("self", "198.51.100.11").put("directors", new JsonArray()
                                .add(new JsonObject().put("address", "198.51.100.12").put("live", true).put("sinceHeardMs", 310))
                                .add(new JsonObject().put("address", "198.51.100.13").put("live", false)))
                        .put("ring", new JsonArray().add("198.51.100.11").add("198.51.100.12")));
        String body = gui.client().login().get("/control").body();
        assertThat(body).contains("active-active director, <strong>active</strong> since ")
                .contains("(pid 4242); routes announced: 1 of 2; BIRD running");
        String s = section(body);
        assertThat(s).contains("<h3>Routes to this director</h3>")
                .contains("<tr id=\"route-203.0.113.200\"><td>203.0.113.200</td><td>web</td><td class=\"health up\">▲ announced</td></tr>")
                .contains("<tr id=\"route-203.0.113.201\"><td>203.0.113.201</td><td>dns</td><td class=\"health down\">▼ withdrawn: "
                        + "virtual dns: no real server up</td></tr>")
                .contains("<p id=\"bird\">BIRD: running (pid 4244); BGP router1 Established</p>")
                .contains("<p id=\"peers\">Other directors: 198.51.100.12 live, 198.51.100.13 <strong>not heard</strong>; "
                        + "flow hand-over ring 198.51.100.11 198.51.100.12</p>")
                .doesNotContain("Partner", "Heartbeats");
        assertThat(body).doesNotContain("null director", "no heartbeat yet");
    }

    @Test
    void aRealActiveActivePulseIsShownByItsRoutes() throws Exception {
        String cf = String.join("\n", "serial_no = 1", "director_mode = active_active", "bgp_local_as = 64513",
                "bgp_peer_as = 64512", "bgp_neighbor = 198.51.100.1", "bird_config = " + dir.resolve("bird.conf"),
                "bird_socket = " + dir.resolve("bird.ctl"), "keepalive = 0.5",
                "director_peers = [ 127.0.0.1 198.51.100.12 ]", "network = direct", "backend = userspace",
                "virtual web {", "     active = 1", "     address = 203.0.113.200 lo", "     port = 80", "     scheduler = mh",
                "     server rs1 {", "         address = 198.51.100.21", "         active = 1", "     }", "}", "");
        gui = new TestGui(dir, Duration.ofMinutes(15), null, null, cf);
        pulse = PulseProcess.start(gui.lvsCf, dir.resolve("pulse.sock"), gui.lvsdSocket(), dir.resolve("pulse.out"), "active");
        TestGui.Client c = gui.client().login();
        String body = "";
        for (int i = 0; i < 100 && !body.contains("routes announced: 1 of 1"); i++) { // the first judgement comes after one keepalive
            body = c.get("/control").body();
            Thread.sleep(100);
        }
        assertThat(body).as(pulse.output()).contains("active-active director, <strong>active</strong> since ")
                .contains("routes announced: 1 of 1; BIRD down");
        assertThat(section(body)).contains("<td>203.0.113.200</td><td>web</td><td class=\"health up\">▲ announced</td>")
                .contains("<p id=\"bird\">BIRD: <strong>down</strong>: no route leaves this director</p>")
                // test start: no datagram leaves, so the other director is not heard and nothing is handed over
                .contains("<p id=\"peers\">Other directors: 198.51.100.12 <strong>not heard</strong>; no flow hand-over");
    }
}
