package piranha.daemon;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A daemon's state changes in order: each event gets the next sequence number of this run and the
 * time it happened, and is kept in a bounded ring (the oldest dropped first) from which the control
 * socket's {@code events} request serves it, as many times as it is asked for (at least once: a
 * reader resumes with the last sequence number it saw). A reader that waits is woken by the next
 * event, never by polling.
 *
 * <p>Every event is one JSON object: {@code seq}, {@code time} (ISO-8601, milliseconds, UTC),
 * {@code kind}, {@code source} (the daemon) and the details of its kind. {@code stream} names the
 * run: sequence numbers start at 1 again when the daemon restarts, and a reader that brings an
 * older stream's name is served from the start of the new one.
 *
 * <p>Publishing takes a short lock and never waits for readers or listeners beyond handing the
 * event to them (listeners must not block: {@link EventHooks} queues).
 */
public final class EventLog {
    /** Events kept: at a few hundred bytes each, a few MB at most. */
    public static final int DEFAULT_CAPACITY = 10_000;
    /** The longest a reader's {@code wait_ms} may hold its connection (below every control socket's reply timeout). */
    public static final Duration MAX_WAIT = Duration.ofSeconds(25);
    /** Events in one reply at most; a reader asks again from the last one it got. */
    public static final int MAX_PAGE = 2_000;
    /** Always three fraction digits, so that the times of one daemon sort as text too. */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(java.time.ZoneOffset.UTC);

    private final String source;
    private final String stream;
    private final int capacity;
    private final Clock clock;
    private final ArrayDeque<JsonObject> ring;
    private final List<Consumer<JsonObject>> listeners = new CopyOnWriteArrayList<>();
    private long last;

    public EventLog(String source) {
        this(source, DEFAULT_CAPACITY, Clock.systemUTC());
    }

    public EventLog(String source, int capacity, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.source = source;
        this.capacity = capacity;
        this.clock = clock;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
        this.stream = source + "-" + ProcessHandle.current().pid() + "-" + clock.millis();
    }

    public String source() {
        return source;
    }

    /** This run's name ({@code stream} in every reply). */
    public String stream() {
        return stream;
    }

    /** Who hears every event after it has its number (hooks); called on the publishing thread, must not block. */
    public void listen(Consumer<JsonObject> listener) {
        listeners.add(listener);
    }

    /**
     * Records one state change: {@code details} (not copied; the caller gives it up) gets
     * {@code seq}, {@code time}, {@code kind} and {@code source} first, and is returned.
     */
    public JsonObject publish(String kind, JsonObject details) {
        JsonObject event;
        synchronized (this) {
            long seq = ++last;
            event = new JsonObject().put("seq", seq)
                    .put("time", TIME.format(Instant.now(clock)))
                    .put("kind", kind).put("source", source);
            for (var e : details) {
                if (!event.containsKey(e.getKey())) {
                    event.put(e.getKey(), e.getValue());
                }
            }
            if (ring.size() == capacity) {
                ring.removeFirst();
            }
            ring.addLast(event);
            notifyAll();
        }
        for (Consumer<JsonObject> l : listeners) {
            l.accept(event);
        }
        return event;
    }

    /** The sequence number of the newest event, 0 before the first. */
    public synchronized long last() {
        return last;
    }

    /**
     * The events after {@code since}, at most {@code max}, waiting up to {@code wait} for the first
     * one when there is none yet. The reply: {@code source}, {@code stream}, {@code first} and
     * {@code last} (the oldest and newest sequence numbers kept, 0 when none), {@code lost} (events
     * after {@code since} that the ring no longer holds: the reader fell too far behind) and
     * {@code events}.
     */
    public JsonObject read(long since, int max, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + Math.min(wait.toNanos(), MAX_WAIT.toNanos());
        List<JsonObject> out = new ArrayList<>();
        long first;
        long newest;
        synchronized (this) {
            while (last <= since) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                // woken by publish(); spurious wake-ups just loop
                wait(Math.max(1, left / 1_000_000));
            }
            first = ring.isEmpty() ? 0 : ring.peekFirst().getLong("seq");
            newest = last;
            long start = Math.max(since + 1, first);
            // the ring is in sequence order: skip to the first wanted without copying
            long skip = start - first;
            Iterator<JsonObject> it = ring.iterator();
            for (long i = 0; i < skip && it.hasNext(); i++) {
                it.next();
            }
            while (it.hasNext() && out.size() < max) {
                out.add(it.next());
            }
        }
        long lost = first > since + 1 ? first - since - 1 : 0;
        return new JsonObject().put("source", source).put("stream", stream).put("first", first).put("last", newest)
                .put("lost", lost).put("events", new JsonArray(new ArrayList<>(out)));
    }

    /**
     * The control socket's {@code events} request: {@code since} (default 0: everything kept),
     * {@code wait_ms} (default 0: answer at once; at most {@link #MAX_WAIT}), {@code max} (default
     * and most {@link #MAX_PAGE}), {@code stream} (the run the reader's {@code since} belongs to; a
     * different one reads from the start, and the reply says {@code "restarted":true}). Runs on the
     * control connection's own thread, which it may hold while waiting.
     */
    public Function<JsonObject, Future<JsonObject>> handler() {
        return request -> {
            try {
                long since = Math.max(0, number(request, "since", 0));
                String theirs = request.getValue("stream") instanceof String s ? s : null;
                boolean restarted = theirs != null && !theirs.equals(stream);
                int max = (int) Math.min(MAX_PAGE, Math.max(1, number(request, "max", MAX_PAGE)));
                Duration wait = Duration.ofMillis(Math.max(0, number(request, "wait_ms", 0)));
                JsonObject reply = read(restarted ? 0 : since, max, wait);
                if (restarted) {
                    reply.put("restarted", true);
                }
                return Future.succeededFuture(reply);
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Future.failedFuture("interrupted");
            }
        };
    }

    private static long number(JsonObject request, String key, long otherwise) {
        Object v = request.getValue(key);
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        throw new IllegalArgumentException("\"" + key + "\" must be a number");
    }
}
