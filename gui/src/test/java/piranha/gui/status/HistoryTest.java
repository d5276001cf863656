package piranha.gui.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class HistoryTest {
    static final Instant T0 = Instant.parse("2026-12-05T08:00:00Z");

    static JsonObject lvsd(long conns1, long conns2, long in, long out, double latency, String health) {
        return new JsonObject().put("serial_no", 1).put("services", new JsonArray().add(new JsonObject().put("name", "web")
                .put("servers", new JsonArray()
                        .add(server("rs1", 81, conns1, in, out, latency, health))
                        .add(server("rs2", 82, conns2, 0, 0, 1.0, "up")))));
    }

    static JsonObject server(String name, int port, long conns, long in, long out, double latency, String health) {
        return new JsonObject().put("name", name).put("address", "127.0.0.1").put("port", port).put("conns", conns)
                .put("bytes_in", in).put("bytes_out", out).put("latency_ms", latency).put("health", health);
    }

    @Test
    void ratesAreTheCountersIncreaseOverTheTimeTheSamplesCovered() {
        History h = new History();
        h.observe(lvsd(100, 50, 1000, 5000, 2.5, "up"), T0);
        h.observe(lvsd(110, 60, 3000, 9000, 3.5, "up"), T0.plusSeconds(2));
        h.observe(lvsd(120, 60, 5000, 13000, 1.5, "down"), T0.plusSeconds(4));
        JsonObject c = h.chart("web", Duration.ofMinutes(15), T0.plusSeconds(5));
        assertThat(c.getJsonArray("t").getList()).containsExactly(T0.getEpochSecond());
        // (10 + 10) + (10 + 0) connections in 4 s; (2000 + 2000) bytes in; (4000 + 4000) out
        assertThat(c.getJsonArray("conns").getList()).containsExactly(7.5);
        assertThat(c.getJsonArray("bytesIn").getList()).containsExactly(1000.0);
        assertThat(c.getJsonArray("bytesOut").getList()).containsExactly(2000.0);
        JsonObject rs1 = c.getJsonArray("servers").getJsonObject(0);
        assertThat(rs1.getString("name")).isEqualTo("rs1");
        assertThat(rs1.getString("endpoint")).isEqualTo("127.0.0.1:81");
        assertThat(rs1.getJsonArray("latency").getList()).as("the bucket's worst").containsExactly(3.5);
        assertThat(rs1.getJsonArray("health").getList()).as("up then down in one bucket").containsExactly("changed");
        assertThat(c.getJsonArray("servers").getJsonObject(1).getJsonArray("health").getList()).containsExactly("up");
        assertThat(c.getJsonArray("services").getList()).containsExactly("web");
    }

    @Test
    void aCounterThatWentDownWasResetAndAnUnknownServiceHasNoData() {
        History h = new History();
        h.observe(lvsd(100, 0, 0, 0, 1, "up"), T0);
        h.observe(lvsd(4, 0, 0, 0, 1, "up"), T0.plusSeconds(2)); // lvsd restarted: 4 new connections
        assertThat(h.chart("web", Duration.ofMinutes(15), T0.plusSeconds(3)).getJsonArray("conns").getList()).containsExactly(2.0);
        JsonObject none = h.chart("nope", Duration.ofMinutes(15), T0.plusSeconds(3));
        assertThat(none.getJsonArray("conns").getList()).containsExactly((Object) null);
        assertThat(none.getJsonArray("servers")).isEmpty();
        h.observe(new JsonObject().put("error", "lvsd not running"), T0.plusSeconds(4));
        assertThat(h.chart("web", Duration.ofMinutes(15), T0.plusSeconds(5)).getJsonArray("conns").getList()).containsExactly(2.0);
    }

    @Test
    void longRangesShowFiveMinuteBucketsThenTheLastFifteenMinutesInTenSecondOnesAndOldSeriesAreForgotten() {
        History h = new History();
        Instant t = T0;
        long conns = 0;
        // two hours, a sample every 10 s, 1 connection per second
        for (int i = 0; i <= 720; i++) {
            h.observe(lvsd(conns, 0, 0, 0, 1, "up"), t);
            t = t.plusSeconds(10);
            conns += 10;
        }
        Instant now = t.minusSeconds(10);
        JsonObject c = h.chart("web", Duration.ofHours(1), now);
        JsonArray times = c.getJsonArray("t");
        assertThat(times.size()).isEqualTo(90 + 10); // 45 minutes of 5-minute buckets before the fine ones (one overlapping)
        for (int i = 1; i < times.size(); i++) {
            assertThat(times.getLong(i)).isGreaterThan(times.getLong(i - 1));
        }
        assertThat(times.getLong(times.size() - 1)).isEqualTo(now.getEpochSecond() / 10 * 10);
        for (Object rate : c.getJsonArray("conns")) {
            assertThat(rate).isEqualTo(1.0);
        }
        assertThat(h.chart("web", Duration.ofMinutes(15), now).getJsonArray("t").size()).isEqualTo(90);
        assertThat(h.chart("web", Duration.ofHours(99), now).getLong("range")).isEqualTo(86400L);
        // a day later, a service named differently: the old one is forgotten
        h.observe(new JsonObject().put("services", new JsonArray().add(new JsonObject().put("name", "other")
                .put("servers", new JsonArray()))), now.plus(Duration.ofHours(25)));
        assertThat(h.serviceNames()).containsExactly("other");
    }
}
