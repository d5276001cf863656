package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The active-active status as Prometheus text: each VIP's route, BIRD and its sessions, the shared names. */
class ActiveActiveMetricsTest {
    static String text(JsonObject status) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, ActiveActiveMetrics.of(status).snapshots());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void routesBirdAndSessionsAreSeries() throws Exception {
        JsonObject status = new JsonObject().put("mode", "active_active").put("state", "active").put("uptimeMs", 61_500)
                .put("routes", new JsonArray()
                        .add(new JsonObject().put("vip", "203.0.113.200").put("announced", true))
                        .add(new JsonObject().put("vip", "203.0.113.201").put("announced", false).put("reason", "lvsd is not ready")))
                .put("routeChanges", 3).put("linksDown", new JsonArray()).put("lvsdRestarts", 2)
                .put("bird", new JsonObject().put("state", "running").put("pid", 7).put("restarts", 1).put("sessions", new JsonArray()
                        .add(new JsonObject().put("protocol", "router1").put("state", "up").put("info", "Established"))
                        .add(new JsonObject().put("protocol", "router2").put("state", "start").put("info", "Connect"))))
                .put("peers", new JsonObject().put("self", "198.51.100.11").put("directors", new JsonArray()
                                .add(new JsonObject().put("address", "198.51.100.12").put("live", true).put("sinceHeardMs", 200))
                                .add(new JsonObject().put("address", "198.51.100.13").put("live", false)))
                        .put("ring", new JsonArray().add("198.51.100.11").add("198.51.100.12")));
        assertThat(text(status)).contains(
                "pulse_up 1.0\n",
                "pulse_active 1.0\n",
                "pulse_route_announced{vip=\"203.0.113.200\"} 1.0\n",
                "pulse_route_announced{vip=\"203.0.113.201\"} 0.0\n",
                "pulse_route_changes_total 3.0\n",
                "pulse_bird_up 1.0\n",
                "pulse_bird_restarts_total 1.0\n",
                "pulse_bgp_session_up{protocol=\"router1\"} 1.0\n",
                "pulse_bgp_session_up{protocol=\"router2\"} 0.0\n",
                "pulse_links_down 0.0\n",
                "pulse_lvsd_restarts_total 2.0\n",
                "pulse_uptime_seconds 61.5\n",
                "pulse_director_peer_live{address=\"198.51.100.12\"} 1.0\n",
                "pulse_director_peer_live{address=\"198.51.100.13\"} 0.0\n",
                "pulse_handover_ring_size 2.0\n");
    }

    @Test
    void aDeadBirdAndAStoppingDirectorSayZero() throws Exception {
        JsonObject status = new JsonObject().put("state", "stopping").put("routes", new JsonArray())
                .put("bird", new JsonObject().put("state", "down").put("pid", 0).put("restarts", 0));
        assertThat(text(status)).contains("pulse_active 0.0\n", "pulse_bird_up 0.0\n").doesNotContain("pulse_bgp_session_up{",
                "pulse_director_peer_live", "pulse_handover_ring_size");
    }
}
