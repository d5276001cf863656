package piranha.gui.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;

/**
 * The event timeline of CONTROL/MONITORING: director transitions, real servers going up, down or
 * drained, failover services, the daemons' restarts, reloads applied or refused, newest first, the
 * last {@link #CAPACITY} kept in memory. The entries come from pulse's and lvsd's event streams
 * ({@link EventFollower}), from successive status replies for a daemon too old to serve a stream
 * ({@link StatusDiff}), and from the GUI's own actions (APPLY, sync); {@link #record} is the one way in.
 */
public final class Timeline {
    public static final int CAPACITY = 1000;

    /**
     * {@code kind}: director, server, failover, daemon or reload (the filter's choices); {@code tone}:
     * good, bad or note; {@code label}: one word or two; {@code text}: the sentence.
     */
    public record Event(Instant at, String kind, String tone, String label, String text) {}

    /** Newest first. A linked list: an event of the other daemon that arrives late goes in at its time. */
    private final LinkedList<Event> events = new LinkedList<>();

    /**
     * Adds an event at its time: two daemons' streams arrive each in its own order but not with each
     * other, so an event goes after every newer one (a daemon's own events, in its order, stay so).
     */
    public synchronized void record(Event e) {
        ListIterator<Event> i = events.listIterator();
        while (i.hasNext()) {
            if (!i.next().at().isAfter(e.at())) {
                i.previous();
                break;
            }
        }
        if (i.nextIndex() >= CAPACITY) {
            return; // older than everything kept
        }
        i.add(e);
        while (events.size() > CAPACITY) {
            events.removeLast();
        }
    }

    public synchronized List<Event> newestFirst(int limit) {
        List<Event> out = new ArrayList<>(Math.min(limit, events.size()));
        for (Iterator<Event> i = events.iterator(); i.hasNext() && out.size() < limit;) {
            out.add(i.next());
        }
        return out;
    }
}
