package piranha.gui.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlServer;
import piranha.daemon.EventLog;

/** One daemon's stream into the timeline, against a real control socket serving a real {@link EventLog}. */
class EventFollowerTest {
    @TempDir
    Path dir;
    ControlServer daemon;
    final AtomicInteger requests = new AtomicInteger();

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    Path socket() {
        return dir.resolve("lvsd.sock");
    }

    EventLog serve(EventLog log) throws Exception {
        if (daemon != null) {
            daemon.close();
        }
        Function<JsonObject, Future<JsonObject>> events = log.handler();
        daemon = ControlServer.start(socket(), Map.of("events", r -> {
            requests.incrementAndGet();
            return events.apply(r);
        }), Duration.ofSeconds(30));
        return log;
    }

    static void drain(EventLog log, String server) {
        log.publish("operator", new JsonObject().put("service", "web").put("server", server).put("action", "drain")
                .put("reason", "maintenance").put("who", "alice"));
    }

    static void down(EventLog log, String server) {
        log.publish("real_server", new JsonObject().put("service", "web").put("server", server).put("name", "rs1")
                .put("health", "down").put("weight", 0).put("reason", "connection refused"));
    }

    static java.util.List<String> texts(Timeline t) {
        return t.newestFirst(100).stream().map(e -> e.kind() + " " + e.tone() + " " + e.label() + ": " + e.text()).toList();
    }

    @Test
    void eventsBecomeEntriesInOrderAndARestartedDaemonIsFollowedFromItsStart() throws Exception {
        EventLog first = serve(new EventLog("lvsd"));
        drain(first, "127.0.0.1:81");
        down(first, "127.0.0.1:82");
        Timeline t = new Timeline();
        EventFollower f = new EventFollower(new DaemonLink("lvsd", socket()), t);
        assertThat(f.ask()).isZero();
        assertThat(f.streams()).isTrue();
        assertThat(texts(t)).containsExactly(
                "server bad down: real server rs1 (127.0.0.1:82) in web is down (weight 0): connection refused",
                "server bad drained: real server (127.0.0.1:81) in web is drained by the operator (alice): maintenance");

        // lvsd stops: one note; started again with a new run whose numbers start at 1 again
        daemon.close();
        assertThat(f.ask()).isEqualTo(EventFollower.ABSENT_RETRY);
        assertThat(f.ask()).isEqualTo(EventFollower.ABSENT_RETRY);
        assertThat(texts(t)).hasSize(3).first().asString().startsWith("daemon bad lvsd not answering: lvsd does not answer (");
        Thread.sleep(5); // a run is named by its start's millisecond
        EventLog second = serve(new EventLog("lvsd"));
        second.publish("reload", new JsonObject().put("applied", true).put("serial_no", 7).put("changes",
                new io.vertx.core.json.JsonArray().add("web: added rs3")));
        assertThat(f.ask()).isZero();
        assertThat(texts(t)).hasSize(5).first().isEqualTo("reload good reloaded: lvsd reloaded lvs.cf; runs serial_no 7; changed: web: added rs3");
        assertThat(texts(t).get(1)).startsWith("daemon note lvsd restarted: lvsd runs anew (" + second.stream() + ")");
        // nothing of the first run twice, nothing of the second lost
        auto(second, "127.0.0.1:81");
        assertThat(f.ask()).isZero();
        assertThat(texts(t)).hasSize(6).first().isEqualTo("server note auto: real server (127.0.0.1:81) in web follows its health checks again (alice)");
    }

    static void auto(EventLog log, String server) {
        log.publish("operator", new JsonObject().put("service", "web").put("server", server).put("action", "auto").put("who", "alice"));
    }

    @Test
    void eventsTheDaemonNoLongerKeepsAreSaidToBeLost() throws Exception {
        EventLog log = serve(new EventLog("lvsd", 3, Clock.systemUTC()));
        for (int i = 0; i < 5; i++) {
            drain(log, "127.0.0.1:" + (81 + i));
        }
        Timeline t = new Timeline();
        EventFollower f = new EventFollower(new DaemonLink("lvsd", socket()), t);
        f.ask();
        assertThat(texts(t)).as("the first reply: what the daemon keeps, nothing said lost").hasSize(3);
        for (int i = 0; i < 5; i++) {
            auto(log, "127.0.0.1:" + (81 + i));
        }
        f.ask();
        assertThat(texts(t)).hasSize(7).anySatisfy(s -> assertThat(s).isEqualTo(
                "daemon bad events lost: 2 event(s) of lvsd after #5 are no longer kept there (at most 10000) and are not shown"));
    }

    @Test
    void aDaemonWithoutTheStreamIsLeftToTheStatusDiff() throws Exception {
        daemon = ControlServer.start(socket(), Map.of("status", r -> Future.succeededFuture(new JsonObject())), Duration.ofSeconds(5));
        Timeline t = new Timeline();
        EventFollower f = new EventFollower(new DaemonLink("lvsd", socket()), t);
        assertThat(f.noStream()).isFalse();
        assertThat(f.ask()).isEqualTo(EventFollower.NO_STREAM_RETRY);
        assertThat(f.noStream()).isTrue();
        assertThat(f.streams()).isFalse();
        assertThat(t.newestFirst(10)).isEmpty();
    }

    @Test
    void theFollowerWaitsOnTheSocketAndStopsWhenClosed() throws Exception {
        EventLog log = serve(new EventLog("lvsd"));
        Timeline t = new Timeline();
        EventFollower f = new EventFollower(new DaemonLink("lvsd", socket()), t);
        f.start();
        try {
            Thread.sleep(1500);
            drain(log, "127.0.0.1:81");
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (t.newestFirst(1).isEmpty() && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            assertThat(texts(t)).hasSize(1);
            // the second request follows the event's reply (on a loaded machine, a moment later); then nothing more comes
            end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (requests.get() < 2 && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            Thread.sleep(500);
            assertThat(requests.get()).as("one request waited for the event, a second waits for the next: no polling").isEqualTo(2);
        } finally {
            long before = System.nanoTime();
            f.close();
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("closing abandons the waiting request").isLessThan(Duration.ofSeconds(5));
        }
    }
}
