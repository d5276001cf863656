package piranha.gui.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TimelineTest {
    static Timeline.Event at(long second, String text) {
        return new Timeline.Event(Instant.EPOCH.plusSeconds(second), "reload", "good", "applied", text);
    }

    @Test
    void twoStreamsArrivingOneAfterTheOtherShowMergedByTimeEachInItsOrder() {
        Timeline t = new Timeline();
        // pulse's backlog arrives first, then lvsd's, older in part
        t.record(at(10, "pulse 1"));
        t.record(at(30, "pulse 2"));
        t.record(at(5, "lvsd 1"));
        t.record(at(30, "lvsd 2"));
        t.record(at(30, "lvsd 3"));
        t.record(at(40, "lvsd 4"));
        assertThat(t.newestFirst(10)).extracting(Timeline.Event::text)
                .containsExactly("lvsd 4", "lvsd 3", "lvsd 2", "pulse 2", "pulse 1", "lvsd 1");
        assertThat(t.newestFirst(2)).hasSize(2);
    }

    @Test
    void keepsTheLastThousand() {
        Timeline t = new Timeline();
        for (int i = 0; i < Timeline.CAPACITY + 5; i++) {
            t.record(at(i, "n" + i));
        }
        t.record(at(0, "older than all kept"));
        assertThat(t.newestFirst(Integer.MAX_VALUE)).hasSize(Timeline.CAPACITY).first().extracting(Timeline.Event::text)
                .isEqualTo("n" + (Timeline.CAPACITY + 4));
        assertThat(t.newestFirst(Integer.MAX_VALUE)).extracting(Timeline.Event::text).doesNotContain("older than all kept")
                .last().isEqualTo("n5");
    }
}
