package piranha.pulse.fos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rows of one tracked check's verdict: unknown counts as passing, fall and rise in a row. */
class TrackStateTest {

    @Test
    void unknownUntilTheFirstResultAndTheFirstGoodOnePassesAtOnce() {
        TrackState s = new TrackState(2, 3);
        assertThat(s.health()).isEqualTo(TrackState.Health.UNKNOWN);
        assertThat(s.failing()).isFalse();
        assertThat(s.lastAtNanos()).isEqualTo(-1);
        assertThat(s.onResult(true, "up", 5)).isFalse(); // not failing before, not failing now
        assertThat(s.health()).isEqualTo(TrackState.Health.PASSING);
        assertThat(s.last()).isEqualTo("up");
        assertThat(s.lastAtNanos()).isEqualTo(5);
    }

    @Test
    void fallFailuresInARowMakeItFailingAndRiseGoodOnesPassingAgain() {
        TrackState s = new TrackState(2, 3);
        s.onResult(true, "up", 1);
        assertThat(s.onResult(false, "refused", 2)).isFalse();
        assertThat(s.onResult(true, "up", 3)).isFalse(); // the run of failures is broken
        assertThat(s.onResult(false, "refused", 4)).isFalse();
        assertThat(s.onResult(false, "refused", 5)).isTrue();
        assertThat(s.failing()).isTrue();
        assertThat(s.onResult(true, "up", 6)).isFalse();
        assertThat(s.onResult(true, "up", 7)).isFalse();
        assertThat(s.onResult(false, "refused", 8)).isFalse(); // the run of good checks is broken
        assertThat(s.onResult(true, "up", 9)).isFalse();
        assertThat(s.onResult(true, "up", 10)).isFalse();
        assertThat(s.onResult(true, "up", 11)).isTrue();
        assertThat(s.health()).isEqualTo(TrackState.Health.PASSING);
        assertThat(s.checks()).isEqualTo(11);
        assertThat(s.failures()).isEqualTo(4);
    }

    @Test
    void aCheckFailingFromTheStartFailsAfterFall() {
        TrackState s = new TrackState(1, 1);
        assertThat(s.onResult(false, "no process haproxy runs", 1)).isTrue();
        assertThat(s.failing()).isTrue();
        assertThat(s.last()).isEqualTo("no process haproxy runs");
        assertThat(s.onResult(true, "process haproxy runs (pid 7)", 2)).isTrue();
    }
}
