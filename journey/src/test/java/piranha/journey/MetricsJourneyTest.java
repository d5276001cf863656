package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The metrics of the appliance as bin/demo runs it: pulse and the lvsd it started each serve every
 * metric their README documents, with sane values; the Grafana dashboard in etc/grafana reads only
 * metrics that are documented and served.
 */
class MetricsJourneyTest {
    @TempDir
    Path tmp;

    private static final Pattern ROW = Pattern.compile("^\\| `((?:pulse|lvsd)_[a-z_]+)` \\| (gauge|counter|histogram) \\|", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE);

    /** The metrics a README's "Metrics" table documents. */
    static List<String> documented(String module) throws Exception {
        String readme = Files.readString(Checkout.ROOT.resolve(module).resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Metrics"));
        List<String> names = new ArrayList<>();
        Matcher m = ROW.matcher(section);
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).as(module + "/README.md documents metrics").hasSizeGreaterThan(10);
        return names;
    }

    static String scrape(String at) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + at + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** Every documented metric has its TYPE line and samples; every sample is a finite number, none negative. */
    static void checkServed(String text, List<String> names) {
        for (String name : names) {
            assertThat(text).as(name).containsPattern("(?m)^# TYPE " + name + " ");
        }
        Matcher m = SAMPLE.matcher(text);
        int samples = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(3).replace("+Inf", "Infinity"));
            assertThat(Double.isNaN(v)).as(m.group()).isFalse();
            assertThat(v).as(m.group()).isGreaterThanOrEqualTo(0);
            samples++;
        }
        assertThat(samples).isGreaterThan(names.size());
    }

    static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(series + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void bothDaemonsServeEveryDocumentedMetricAndTheDashboardReadsThem() throws Exception {
        try (Demo demo = Demo.start(tmp.resolve("demo"))) {
            String banner = demo.awaitBanner(Duration.ofSeconds(180));
            assertThat(banner).contains("http://" + demo.pulseMetrics + "/metrics (pulse)")
                    .contains("http://" + demo.lvsdMetrics + "/metrics (lvsd)");
            List<String> pulseNames = documented("pulse");
            List<String> lvsdNames = documented("lvsd");
            String rs1 = "server=\"127.0.0.1:" + demo.rs1Port + "\",service=\"demo_web\"";
            String rs2 = "server=\"127.0.0.1:" + demo.rs2Port + "\",service=\"demo_web\"";
            String[] lvsd = new String[1];
            Eventually.within(Duration.ofSeconds(60), () -> {
                lvsd[0] = scrape(demo.lvsdMetrics);
                assertThat(value(lvsd[0], "lvsd_real_server_up{" + rs1 + "}")).isEqualTo(1);
                assertThat(value(lvsd[0], "lvsd_real_server_up{" + rs2 + "}")).isEqualTo(1);
                assertThat(lvsd[0]).contains("lvsd_check_results_total{outcome=\"pass\"," + rs1 + "}");
            });
            String pulse = scrape(demo.pulseMetrics);
            // the lone primary of the demo: active, no partner, no watched link, no path heard from
            checkServed(pulse, pulseNames.stream().filter(n -> !n.equals("pulse_last_heartbeat_age_seconds")
                    && !n.equals("pulse_link_up")).toList());
            assertThat(value(pulse, "pulse_active")).isEqualTo(1);
            assertThat(value(pulse, "pulse_role{role=\"primary\"}")).isEqualTo(1);
            assertThat(value(pulse, "pulse_partner_state{state=\"none\"}")).isEqualTo(1);
            assertThat(value(pulse, "pulse_transitions_total{reason=\"no backup configured: activating lvs\"}")).isEqualTo(1);
            assertThat(value(pulse, "pulse_uptime_seconds")).isPositive();
            checkServed(lvsd[0], lvsdNames);
            assertThat(value(lvsd[0], "lvsd_ready")).isEqualTo(1);
            assertThat(value(lvsd[0], "lvsd_real_server_configured_weight{" + rs1 + "}")).isPositive();
            assertThat(value(lvsd[0], "lvsd_real_server_weight{" + rs1 + "}")).isPositive();
            assertThat(value(lvsd[0], "lvsd_real_server_in_table{" + rs1 + "}")).isEqualTo(1);
            assertThat(value(lvsd[0], "lvsd_check_duration_seconds_count{" + rs1 + "}")).isPositive();
            assertThat(value(lvsd[0], "lvsd_table_operations_total{op=\"AddService\",result=\"ok\"}")).isGreaterThanOrEqualTo(1);

            // traffic through the VIP shows in the connection counters
            for (int i = 0; i < 4; i++) {
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + demo.vip + ":" + demo.vport + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            // a new client each time: a new connection each time (one kept alive would be counted once)
            Eventually.within(Duration.ofSeconds(20), () -> {
                String now = scrape(demo.lvsdMetrics);
                assertThat(value(now, "lvsd_real_server_connections_total{" + rs1 + "}")
                        + value(now, "lvsd_real_server_connections_total{" + rs2 + "}")).isGreaterThanOrEqualTo(4);
            });

            Set<String> served = new HashSet<>();
            Matcher t = Pattern.compile("(?m)^# TYPE (\\S+) ").matcher(pulse + lvsd[0]);
            while (t.find()) {
                served.add(t.group(1));
            }
            // a lone primary has no heartbeat path heard from and no watched link: documented, no samples
            served.add("pulse_last_heartbeat_age_seconds");
            served.add("pulse_link_up");
            checkDashboard(new LinkedHashSet<>(pulseNames) {{ addAll(lvsdNames); }}, served);
        }
    }

    /** The dashboard's structure, and that every metric a panel queries is documented and served. */
    static void checkDashboard(Set<String> documented, Set<String> served) throws Exception {
        JsonObject d = new JsonObject(Files.readString(Checkout.ROOT.resolve("etc/grafana/piranha.json")));
        assertThat(d.getString("title")).isNotBlank();
        assertThat(d.getString("uid")).matches("[a-z0-9-]{1,40}");
        assertThat(d.getInteger("schemaVersion")).isGreaterThanOrEqualTo(30);
        JsonArray panels = d.getJsonArray("panels");
        assertThat(panels).isNotEmpty();
        Set<Integer> ids = new HashSet<>();
        Pattern metric = Pattern.compile("(?<![$\\w])((?:pulse|lvsd)_[a-z_]+)"); // not the $lvsd_instance variable
        Set<String> queried = new HashSet<>();
        for (Object o : panels) {
            JsonObject p = (JsonObject) o;
            assertThat(ids.add(p.getInteger("id"))).as("unique panel id " + p.getInteger("id")).isTrue();
            assertThat(p.getString("type")).isIn("timeseries", "stat", "state-timeline", "table", "gauge", "bargauge");
            assertThat(p.getString("title")).isNotBlank();
            JsonObject g = p.getJsonObject("gridPos");
            assertThat(g.getInteger("w")).isBetween(1, 24);
            assertThat(g.getInteger("h")).isPositive();
            assertThat(g.getInteger("x") + g.getInteger("w")).isLessThanOrEqualTo(24);
            JsonArray targets = p.getJsonArray("targets");
            assertThat(targets).as(p.getString("title")).isNotEmpty();
            for (Object x : targets) {
                Matcher m = metric.matcher(((JsonObject) x).getString("expr"));
                while (m.find()) {
                    String name = m.group(1).replaceAll("_(bucket|count|sum)$", "");
                    queried.add(name);
                    assertThat(documented).as("documented: " + name).contains(name);
                    assertThat(served).as("served: " + name).contains(name);
                }
            }
        }
        assertThat(queried).contains("pulse_active", "lvsd_real_server_up", "lvsd_check_duration_seconds");
    }
}
