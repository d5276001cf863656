package piranha.gui.status;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.daemon.EventLog;

/**
 * Follows one daemon's event stream (its control socket's {@code events} request) into the
 * timeline, as {@code lvsadm events --follow} does: each request waits on the socket for the next
 * event ({@code wait_ms}, no polling), resumes after the last event it got ({@code since}) when the
 * connection comes back, starts over when the daemon restarted (the reply's {@code stream} changed)
 * and says so, and says how many events were lost when it fell more than the daemon's ring behind.
 * It runs on a thread of its own: the request blocks for as long as the daemon has nothing to say,
 * which no Vert.x thread may do.
 *
 * <p>A daemon that answers that it does not know {@code events} is older than its stream: then
 * {@link #streams()} is false and {@link StatusDiff} derives its events from its status instead;
 * the follower asks again now and then, so an upgraded daemon gets its stream read.
 */
public final class EventFollower implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventFollower.class.getName());
    /** How long one request waits for an event (below the daemons' {@link EventLog#MAX_WAIT}). */
    static final Duration WAIT = Duration.ofSeconds(20);
    /** The daemon is not running: there is no socket to wait on, only time. */
    static final Duration ABSENT_RETRY = Duration.ofSeconds(1);
    /** A daemon without a stream is asked again this seldom (it may have been upgraded). */
    static final Duration NO_STREAM_RETRY = Duration.ofMinutes(1);

    private enum Mode { NOT_YET, STREAM, NO_STREAM }

    private final DaemonLink daemon;
    private final Timeline timeline;
    private volatile Mode mode = Mode.NOT_YET;
    /** The last event taken, and the run it belongs to (null before the first reply). */
    private long since;
    private String stream;
    /** The daemon answered the last request: its going away is worth an entry once. */
    private boolean answering;
    private Thread thread;

    public EventFollower(DaemonLink daemon, Timeline timeline) {
        this.daemon = daemon;
        this.timeline = timeline;
    }

    /** Starts following on a thread of its own. */
    public synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::follow, "events-" + daemon.daemon());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** True while the daemon serves its event stream (its timeline entries come from there). */
    public boolean streams() {
        return mode == Mode.STREAM;
    }

    /** True when the daemon answered that it has no event stream: its status is to be diffed instead. */
    public boolean noStream() {
        return mode == Mode.NO_STREAM;
    }

    /** Stops following: the waiting request is abandoned (its connection closed) and the thread ends. */
    @Override
    public void close() throws InterruptedException {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    private void follow() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(ask().toMillis());
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** One request; returns how long to wait before the next (zero: at once, the request itself waited). */
    Duration ask() throws InterruptedException {
        JsonObject request = new JsonObject().put("cmd", "events").put("since", since).put("wait_ms", WAIT.toMillis());
        if (stream != null) {
            request.put("stream", stream);
        }
        JsonObject reply;
        try {
            reply = ControlClient.call(daemon.socket(), request, WAIT.plusSeconds(10));
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException();
            }
            if (answering) {
                answering = false;
                timeline.record(new Timeline.Event(Instant.now(), "daemon", "bad", daemon.daemon() + " not answering",
                        daemon.daemon() + " does not answer (" + e.getMessage() + "); its events follow when it does"));
            }
            return ABSENT_RETRY;
        }
        if (reply.getValue("error") != null) {
            String error = String.valueOf(reply.getValue("error"));
            if (error.startsWith("unknown command")) {
                if (mode != Mode.NO_STREAM) {
                    LOG.info(daemon.daemon() + " has no event stream (" + error + "): its events are read from its status");
                }
                mode = Mode.NO_STREAM;
                return NO_STREAM_RETRY;
            }
            LOG.warning(daemon.daemon() + " refused the events request: " + error);
            return ABSENT_RETRY;
        }
        answering = true;
        mode = Mode.STREAM;
        take(reply);
        return Duration.ZERO;
    }

    /** The reply's events into the timeline, after a note of a restart or of events lost; moves the cursor. */
    private void take(JsonObject reply) {
        String name = daemon.daemon();
        boolean restarted = Boolean.TRUE.equals(reply.getValue("restarted"));
        JsonArray events = reply.getValue("events") instanceof JsonArray a ? a : new JsonArray();
        if (restarted) {
            LOG.info(name + " restarted: its events are numbered from 1 again");
            // at the new run's first event, so that its events show above the note
            Instant at = events.isEmpty() ? Instant.now() : EventSentence.of(events.getJsonObject(0)).at();
            timeline.record(new Timeline.Event(at, "daemon", "note", name + " restarted",
                    name + " runs anew (" + reply.getValue("stream") + "): its events follow from its start"));
        }
        // on the first reply the events before the ring's oldest were never this follower's to lose
        if (stream != null && reply.getValue("lost") instanceof Number lost && lost.longValue() > 0) {
            timeline.record(new Timeline.Event(Instant.now(), "daemon", "bad", "events lost", lost + " event(s) of " + name
                    + " after #" + since + " are no longer kept there (at most " + EventLog.DEFAULT_CAPACITY + ") and are not shown"));
        }
        stream = reply.getValue("stream") instanceof String s ? s : null;
        for (Object o : events) {
            if (o instanceof JsonObject e) {
                timeline.record(EventSentence.of(e));
                if (e.getValue("seq") instanceof Number seq) {
                    since = seq.longValue();
                }
            }
        }
        if (events.isEmpty() && restarted) {
            since = 0;
        }
    }
}
