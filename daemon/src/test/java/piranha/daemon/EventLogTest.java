package piranha.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class EventLogTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-12-05T08:00:00.123456Z"), ZoneOffset.UTC);

    @Test
    void eventsCarrySequenceTimeKindAndSourceAndKeepTheirDetails() throws Exception {
        EventLog log = new EventLog("lvsd", 10, clock);
        log.publish("real_server", new JsonObject().put("server", "198.51.100.1:80").put("health", "down"));
        JsonObject e = log.read(0, 10, Duration.ZERO).getJsonArray("events").getJsonObject(0);
        assertEquals(1L, e.getLong("seq"));
        assertEquals("2026-12-05T08:00:00.123Z", e.getString("time"));
        assertEquals("real_server", e.getString("kind"));
        assertEquals("lvsd", e.getString("source"));
        assertEquals("down", e.getString("health"));
    }

    @Test
    void theRingKeepsTheNewestAndCountsWhatAReaderLost() throws Exception {
        EventLog log = new EventLog("pulse", 5, clock);
        for (int i = 0; i < 12; i++) {
            log.publish("link", new JsonObject().put("n", i));
        }
        JsonObject r = log.read(3, 100, Duration.ZERO);
        assertEquals(8L, r.getLong("first"));
        assertEquals(12L, r.getLong("last"));
        assertEquals(4L, r.getLong("lost")); // 4..7 are gone
        assertEquals(List.of(8L, 9L, 10L, 11L, 12L), seqs(r));
        assertEquals(List.of(11L, 12L), seqs(log.read(10, 100, Duration.ZERO)));
        assertEquals(0L, log.read(10, 100, Duration.ZERO).getLong("lost"));
        assertEquals(List.of(9L, 10L), seqs(log.read(8, 2, Duration.ZERO)));
    }

    @Test
    void aWaitingReaderIsWokenByTheNextEvent() throws Exception {
        EventLog log = new EventLog("lvsd", 10, Clock.systemUTC());
        CompletableFuture<JsonObject> reply = CompletableFuture.supplyAsync(() -> {
            try {
                return log.read(0, 10, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        long t0 = System.nanoTime();
        log.publish("reload", new JsonObject().put("applied", true));
        JsonObject r = reply.get(10, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(List.of(1L), seqs(r));
    }

    @Test
    void aReaderOfAnotherRunStartsFromTheBeginning() throws Exception {
        EventLog log = new EventLog("lvsd", 10, clock);
        log.publish("reload", new JsonObject());
        log.publish("reload", new JsonObject());
        JsonObject same = log.handler().apply(new JsonObject().put("since", 1).put("stream", log.stream()))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(List.of(2L), seqs(same));
        JsonObject other = log.handler().apply(new JsonObject().put("since", 1).put("stream", "lvsd-1-1"))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(List.of(1L, 2L), seqs(other));
        assertEquals(true, other.getBoolean("restarted"));
    }

    private static List<Long> seqs(JsonObject reply) {
        List<Long> out = new ArrayList<>();
        reply.getJsonArray("events").forEach(e -> out.add(((JsonObject) e).getLong("seq")));
        return out;
    }
}
