package piranha.gui.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import piranha.gui.status.DaemonLink;
import piranha.gui.status.EventFollower;
import piranha.gui.status.History;
import piranha.gui.status.Processes;
import piranha.gui.status.StatusDiff;
import piranha.gui.status.Timeline;

/**
 * The status panels, shared by every page view and live stream: fetched from pulse and lvsd and
 * rendered at most once per {@link #MAX_AGE} however many browsers watch (a status of a large
 * director is megabytes to move, decode and render). A page view always fetches anew, so
 * "Update information now" means now; streams take what is at most {@link #MAX_AGE} old. The
 * panels hold nothing of a session, so one copy serves all.
 */
final class LivePanels {
    /** Below the shortest update period (one second), so a single stream still gets a fresh status each tick. */
    static final Duration MAX_AGE = Duration.ofMillis(500);

    private final DaemonLink pulse;
    private final DaemonLink lvsd;
    private Rendered last; // guarded by this
    /** Events on the timeline: at most this many are shown. */
    static final int EVENTS_SHOWN = 100;
    private final Timeline timeline = new Timeline();
    /** Each daemon's events: from its stream, or from its status where it has none (an older daemon). */
    private final EventFollower pulseEvents;
    private final EventFollower lvsdEvents;
    private final StatusDiff statusDiff = new StatusDiff(timeline);
    private final History history = new History();
    /** When the daemons' status was last fetched (System.nanoTime). */
    private long fetchedNanos = System.nanoTime() - SAMPLE_PERIOD.toNanos();
    /**
     * The charts' history and the timeline need a status now and then even when nobody watches:
     * {@link #sample} fetches one when none was fetched for this long.
     */
    static final Duration SAMPLE_PERIOD = Duration.ofSeconds(History.FINE.width());

    LivePanels(DaemonLink pulse, DaemonLink lvsd) {
        this.pulse = pulse;
        this.lvsd = lvsd;
        this.pulseEvents = new EventFollower(pulse, timeline);
        this.lvsdEvents = new EventFollower(lvsd, timeline);
    }

    /** Starts following the daemons' event streams (each on a thread of its own). */
    void startEvents() {
        pulseEvents.start();
        lvsdEvents.start();
    }

    void stopEvents() {
        try {
            pulseEvents.close();
            lvsdEvents.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One rendering of the panels; its bytes and its server-sent event are made on first use.
     * {@code partner}: pulse's view of the partner when pulse names one (null: no partner configured,
     * or pulse did not answer), for the page's "Sync to partner".
     */
    static final class Rendered {
        final long nanos = System.nanoTime();
        final String html;
        final String partner;
        private Buffer bytes;
        private Buffer event;

        Rendered(String html, String partner) {
            this.html = html;
            this.partner = partner;
        }

        synchronized Buffer bytes() {
            if (bytes == null) {
                bytes = Buffer.buffer(html);
            }
            return bytes;
        }

        synchronized Buffer event() {
            if (event == null) {
                event = Buffer.buffer(ControlRoutes.sse("status", html));
            }
            return event;
        }
    }

    /** Fetches and renders now (blocks for the daemons' replies: call off the event loop). */
    synchronized Rendered fresh() {
        JsonObject p = pulse.status();
        JsonObject l = lvsd.status();
        // the appliance's processes: the daemons by the pids they report and their children, then this tool
        List<Processes.Proc> procs = new ArrayList<>(Processes.of(List.of(pid(p), pid(l))));
        procs.addAll(Processes.self());
        observe(p, l);
        last = new Rendered(StatusPanels.render(p, l, procs, timeline.newestFirst(EVENTS_SHOWN)), partner(p));
        return last;
    }

    /** pulse's partner when it names one: its state (running, dead, unknown...); null for none or no answer. */
    static String partner(JsonObject pulse) {
        Object partner = pulse.getValue("partner");
        return pulse.getValue("error") == null && partner instanceof String s && !s.isEmpty() && !"none".equals(s) ? s : null;
    }

    private void observe(JsonObject p, JsonObject l) {
        java.time.Instant now = java.time.Instant.now();
        fetchedNanos = System.nanoTime();
        statusDiff.pulse(p, now, pulseEvents.noStream());
        statusDiff.lvsd(l, now, lvsdEvents.noStream());
        history.observe(l, now);
    }

    /**
     * Fetches the status for the history and the timeline, without rendering, unless a page view or
     * a live update did within the last sample period (the sampler's timer; blocks: call off the event loop).
     */
    synchronized void sample() {
        if (System.nanoTime() - fetchedNanos >= SAMPLE_PERIOD.toNanos() - MAX_AGE.toNanos()) {
            observe(pulse.status(), lvsd.status());
        }
    }

    History history() {
        return history;
    }

    Timeline timeline() {
        return timeline;
    }

    private static long pid(JsonObject status) {
        return status.getValue("pid") instanceof Number n ? n.longValue() : 0;
    }

    /** The last rendering if it is recent enough, else a fresh one; concurrent callers share it. */
    synchronized Rendered recent() {
        if (last == null || System.nanoTime() - last.nanos > MAX_AGE.toNanos()) {
            return fresh();
        }
        return last;
    }
}
