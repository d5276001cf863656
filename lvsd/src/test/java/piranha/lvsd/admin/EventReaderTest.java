package piranha.lvsd.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class EventReaderTest {
    @Test
    void sinceIsOneNumberOrOnePerDaemon() {
        assertThat(EventReader.since(null, List.of("pulse", "lvsd"))).isEqualTo(Map.of("pulse", 0L, "lvsd", 0L));
        assertThat(EventReader.since("12", List.of("pulse", "lvsd"))).isEqualTo(Map.of("pulse", 12L, "lvsd", 12L));
        assertThat(EventReader.since("lvsd:120,pulse=40", List.of("pulse", "lvsd"))).isEqualTo(Map.of("pulse", 40L, "lvsd", 120L));
        assertThatThrownBy(() -> EventReader.since("gui:3", List.of("pulse", "lvsd"))).hasMessageContaining("--since takes");
    }

    @Test
    void aMergeKeepsEachDaemonsOrderEvenWhenItsClockWentBack() {
        JsonObject p1 = event("pulse", 1, "2026-12-05T08:00:00.100Z");
        JsonObject p2 = event("pulse", 2, "2026-12-05T08:00:00.300Z");
        JsonObject l1 = event("lvsd", 1, "2026-12-05T08:00:00.200Z");
        JsonObject l2 = event("lvsd", 2, "2026-12-05T08:00:00.050Z"); // the clock was set back
        JsonObject l3 = event("lvsd", 3, "2026-12-05T08:00:00.400Z");
        assertThat(EventReader.merge(List.of(List.of(p1, p2), List.of(l1, l2, l3)))).containsExactly(p1, l1, l2, p2, l3);
    }

    private static JsonObject event(String source, long seq, String time) {
        return new JsonObject().put("seq", seq).put("time", time).put("kind", "reload").put("source", source);
    }
}
