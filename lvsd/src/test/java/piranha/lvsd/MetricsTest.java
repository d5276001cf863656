package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Vertx;
import piranha.lvscf.model.Listen;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/** lvsd's /metrics as Prometheus scrapes it: the client library's text, from the status and the events. */
class MetricsTest {
    @TempDir
    Path dir;
    Vertx vertx;
    RealServers servers;
    RealServers.Server rs1;
    Lvsd lvsd;
    int vport;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        servers = new RealServers();
        rs1 = servers.start("rs1");
        vport = RealServers.freePort();
        Files.writeString(dir.resolve("lvs.cf"), WebServiceCf.text("serial_no = 3\nprimary = 127.0.0.1\nbackend = userspace\n",
                "127.0.0.100 lo:100", vport, "rr", "", WebServiceCf.Server.of("rs1", rs1.port()),
                WebServiceCf.Server.weighted("rs2", RealServers.freePort(), 5)));
        lvsd = new Lvsd(vertx, new LvsdOptions(dir.resolve("lvs.cf"), null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO,
                null, new Listen("127.0.0.1", 0)));
        lvsd.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        lvsd.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        servers.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private String scrape() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + lvsd.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        return r.body();
    }

    @Test
    void statusCountersAndHistogramsAreServed() throws Exception {
        String up = "{server=\"127.0.0.1:" + rs1.port() + "\",service=\"web\"}";
        Eventually.within(Duration.ofSeconds(20), () -> assertThat(scrape())
                .contains("lvsd_ready 1.0")
                .contains("lvsd_config_serial 3.0")
                .contains("lvsd_real_server_up" + up + " 1.0")
                .contains("lvsd_real_server_configured_weight{server=\"127.0.0.1:")
                .contains("lvsd_real_server_health{health=\"up\",server=\"127.0.0.1:" + rs1.port() + "\",service=\"web\"} 1.0")
                .contains("lvsd_check_duration_seconds_bucket{server=\"127.0.0.1:" + rs1.port() + "\",service=\"web\",le=\"+Inf\"}")
                .contains("lvsd_check_results_total{outcome=\"pass\",server=\"127.0.0.1:" + rs1.port() + "\",service=\"web\"}")
                .contains("lvsd_check_results_total{outcome=\"fail\"")
                .contains("lvsd_table_operations_total{op=\"AddService\",result=\"ok\"} 1.0")
                .contains("# TYPE lvsd_real_server_connections_total counter"));
        Files.writeString(dir.resolve("lvs.cf"), Files.readString(dir.resolve("lvs.cf")).replace("serial_no = 3", "serial_no = 4"));
        lvsd.reload().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        Files.writeString(dir.resolve("lvs.cf"), "virtual {\n");
        assertThat(lvsd.reload().toCompletionStage().toCompletableFuture().handle((r, e) -> e).get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(scrape()).contains("lvsd_reloads_total{result=\"applied\"} 1.0").contains("lvsd_reloads_total{result=\"refused\"} 1.0")
                .contains("lvsd_reload_duration_seconds_count 1").contains("lvsd_config_serial 4.0");
    }
}
