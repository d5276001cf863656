package piranha.gui.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The timeline of daemons without an event stream, from their successive status replies. */
class StatusDiffTest {
    static JsonObject lvsd(int serial, String health, String override) {
        return new JsonObject().put("serial_no", serial).put("services", new JsonArray().add(new JsonObject().put("name", "web")
                .put("servers", new JsonArray().add(new JsonObject().put("name", "rs1").put("address", "127.0.0.1").put("port", 81)
                        .put("health", health).put("override", override).put("reason", "connection refused")))));
    }

    static JsonObject pulse(String state) {
        return new JsonObject().put("role", "backup").put("state", state);
    }

    @Test
    void changesBetweenStatusRepliesBecomeEventsNewestFirst() {
        Timeline t = new Timeline();
        StatusDiff d = new StatusDiff(t);
        Instant at = Instant.parse("2026-12-05T04:00:00Z");
        d.pulse(pulse("standby"), at, true);
        d.lvsd(lvsd(1, "up", "auto"), at, true);
        assertThat(t.newestFirst(10)).as("the first reply is the baseline").isEmpty();
        d.pulse(pulse("active"), at.plusSeconds(2), true);
        d.lvsd(lvsd(2, "down", "auto"), at.plusSeconds(2), true);
        d.lvsd(lvsd(2, "down", "drain"), at.plusSeconds(3), true);
        d.pulse(new JsonObject().put("error", "pulse not running"), at.plusSeconds(4), true);
        d.lvsd(new JsonObject().put("error", "lvsd not running"), at.plusSeconds(4), true);
        t.record(new Timeline.Event(at.plusSeconds(5), "reload", "bad", "refused", "APPLY of serial_no 3: lvsd: refused"));
        assertThat(t.newestFirst(10)).extracting(e -> e.kind() + " " + e.tone() + " " + e.label() + ": " + e.text()).containsExactly(
                "reload bad refused: APPLY of serial_no 3: lvsd: refused",
                "server bad drained: real server rs1 (127.0.0.1:81) in web: operator drain (was auto)",
                "server bad down: real server rs1 (127.0.0.1:81) in web is down (was up): connection refused",
                "reload good reloaded: lvsd runs lvs.cf serial_no 2 (was 1)",
                "director good active: this backup director active (was standby)");
    }

    @Test
    void aDaemonWithItsStreamIsNotDiffedAndStartsAfreshWithout() {
        Timeline t = new Timeline();
        StatusDiff d = new StatusDiff(t);
        Instant at = Instant.parse("2026-12-05T04:00:00Z");
        d.lvsd(lvsd(1, "up", "auto"), at, true);
        d.lvsd(lvsd(2, "down", "auto"), at.plusSeconds(1), false);
        d.pulse(pulse("standby"), at, false);
        d.pulse(pulse("active"), at.plusSeconds(1), false);
        assertThat(t.newestFirst(10)).as("its stream tells these").isEmpty();
        d.lvsd(lvsd(3, "up", "auto"), at.plusSeconds(2), true);
        assertThat(t.newestFirst(10)).as("a new baseline").isEmpty();
    }
}
