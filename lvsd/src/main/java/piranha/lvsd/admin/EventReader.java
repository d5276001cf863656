package piranha.lvsd.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.daemon.EventLog;

/**
 * {@code lvsadm events}: reads the event streams of pulse and lvsd from their control sockets.
 * Each daemon numbers its own events; a listing merges them by time (then by daemon and number),
 * {@code --follow} prints each daemon's events in their order as they come, waiting on the socket
 * (no polling), and follows a daemon that restarts (its numbers start again; noted on stderr).
 */
final class EventReader {
    /** One daemon's stream: where to ask, and the last event printed from it. */
    static final class Source {
        final String name;
        final Path socket;
        long since;
        String stream;
        boolean absentNoted;

        Source(String name, Path socket, long since) {
            this.name = name;
            this.socket = socket;
            this.since = since;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(20);
    private final List<Source> sources;
    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;

    EventReader(List<Source> sources, boolean json, PrintStream out, PrintStream err) {
        this.sources = sources;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    /**
     * {@code --since}: one number for every daemon, or per daemon ({@code lvsd:120,pulse:40}); a
     * daemon not named starts at 0.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Map<String, Long> since(String text, List<String> daemons) {
        Map<String, Long> out = new LinkedHashMap<>();
        daemons.forEach(d -> out.put(d, 0L));
        if (text == null) {
            return out;
        }
        if (text.matches("\\d+")) {
            daemons.forEach(d -> out.put(d, Long.parseLong(text)));
            return out;
        }
        for (String part : text.split(",")) {
            String[] kv = part.split("[:=]", 2);
            if (kv.length != 2 || !out.containsKey(kv[0]) || !kv[1].matches("\\d+")) {
                throw new IllegalArgumentException("--since takes SEQ or DAEMON:SEQ,... (daemons: "
                        + String.join(", ", daemons) + "), not '" + text + "'");
            }
            out.put(kv[0], Long.parseLong(kv[1]));
        }
        return out;
    }

    /** Everything kept after each source's {@code since}, merged by time; exit 3 when no daemon answered. */
    int list() {
        List<List<JsonObject>> streams = new ArrayList<>();
        int answered = 0;
        for (Source s : sources) {
            List<JsonObject> all = new ArrayList<>();
            streams.add(all);
            try {
                while (true) {
                    JsonObject r = ask(s, Duration.ZERO);
                    JsonArray events = r.getJsonArray("events");
                    events.forEach(e -> all.add((JsonObject) e));
                    if (events.isEmpty() || s.since >= r.getLong("last")) {
                        break;
                    }
                }
                answered++;
            } catch (IOException e) {
                err.println("lvsadm: " + s.name + " " + e.getMessage().replaceFirst("^not running: ", "is not running: "));
            }
        }
        merge(streams).forEach(this::print);
        out.flush();
        return answered == 0 ? 3 : 0;
    }

    /**
     * The streams merged by time, each kept in its own order (a clock set back never reorders a
     * daemon's events); at equal times the daemon named first goes first.
     */
    static List<JsonObject> merge(List<List<JsonObject>> streams) {
        List<JsonObject> out = new ArrayList<>();
        int[] next = new int[streams.size()];
        while (true) {
            int pick = -1;
            Instant earliest = null;
            for (int i = 0; i < streams.size(); i++) {
                if (next[i] < streams.get(i).size()) {
                    Instant t = Instant.parse(streams.get(i).get(next[i]).getString("time"));
                    if (earliest == null || t.isBefore(earliest)) {
                        earliest = t;
                        pick = i;
                    }
                }
            }
            if (pick < 0) {
                return out;
            }
            out.add(streams.get(pick).get(next[pick]++));
        }
    }

    /** Follows every source until interrupted; a daemon that is not (yet) running is waited for. */
    int follow() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Source s : sources) {
            Thread t = new Thread(() -> followOne(s), "events-" + s.name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return 0;
    }

    private void followOne(Source s) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                ask(s, WAIT);
                s.absentNoted = false;
            } catch (IOException e) {
                if (!s.absentNoted) {
                    s.absentNoted = true;
                    err.println("lvsadm: " + s.name + " " + e.getMessage().replaceFirst("^not running: ", "is not running: ")
                            + "; waiting for it");
                }
                try {
                    Thread.sleep(1000); // the daemon is not there: nothing to wait on but time
                } catch (InterruptedException x) {
                    return;
                }
            }
        }
    }

    /** One request from the source's cursor; prints the events and moves the cursor past them. */
    private JsonObject ask(Source s, Duration wait) throws IOException {
        JsonObject request = new JsonObject().put("cmd", "events").put("since", s.since).put("wait_ms", wait.toMillis());
        if (s.stream != null) {
            request.put("stream", s.stream);
        }
        JsonObject r = ControlClient.call(s.socket, request, wait.plusSeconds(10));
        if (r.containsKey("error")) {
            throw new IOException(r.getString("error"));
        }
        if (r.getBoolean("restarted", false)) {
            err.println("lvsadm: " + s.name + " restarted: its events are numbered from 1 again");
        }
        if (r.getLong("lost", 0L) > 0) {
            err.println("lvsadm: " + r.getLong("lost") + " event(s) of " + s.name + " after #" + s.since
                    + " are no longer kept (at most " + EventLog.DEFAULT_CAPACITY + ")");
        }
        s.stream = r.getString("stream");
        JsonArray events = r.getJsonArray("events");
        if (!wait.isZero()) {
            synchronized (out) {
                events.forEach(e -> print((JsonObject) e));
                out.flush();
            }
        }
        if (!events.isEmpty()) {
            s.since = events.getJsonObject(events.size() - 1).getLong("seq");
        } else if (r.getBoolean("restarted", false)) {
            s.since = 0;
        }
        return r;
    }

    private void print(JsonObject e) {
        if (json) {
            out.println(e.encode());
            return;
        }
        StringBuilder line = new StringBuilder().append(e.getString("time")).append(' ').append(e.getString("source"))
                .append(" #").append(e.getLong("seq")).append(' ').append(e.getString("kind"));
        for (var f : e) {
            if (List.of("time", "source", "seq", "kind").contains(f.getKey()) || f.getValue() == null) {
                continue;
            }
            Object v = f.getValue();
            String text = v instanceof String str && !str.isEmpty() && str.chars().noneMatch(c -> c <= ' ' || c == '"')
                    ? str : v instanceof String str ? new JsonArray().add(str).encode().replaceAll("^\\[|\\]$", "")
                    : v instanceof JsonArray a ? a.encode() : String.valueOf(v);
            line.append(' ').append(f.getKey()).append('=').append(text);
        }
        out.println(line);
    }
}
