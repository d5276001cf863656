package piranha.pulse.state;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's takeovers and stand-downs: the last few with their time and reason (the status's
 * "transitions"), and every one since start counted by reason (the metrics' transitions_total).
 */
final class TransitionHistory {
    private static final int HISTORY = 32;

    private final Deque<Transition> last = new ArrayDeque<>();
    private final Map<String, Long> byReason = new LinkedHashMap<>();

    void record(long now, boolean nowActive, String reason) {
        if (last.size() == HISTORY) last.removeFirst();
        last.addLast(new Transition(now, nowActive, reason));
        byReason.merge(reason, 1L, Long::sum);
    }

    List<Transition> last() {
        return List.copyOf(last);
    }

    Map<String, Long> byReason() {
        return Map.copyOf(byReason);
    }
}
