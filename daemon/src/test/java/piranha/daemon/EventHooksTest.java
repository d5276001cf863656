package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;

class EventHooksTest {
    @TempDir
    Path dir;

    @Test
    void eachKindsProgramGetsItsEventsOnStdinOneAtATimeInOrderAndASlowOneIsKilled() throws Exception {
        Path out = dir.resolve("out");
        // appends its stdin; a program racing the one before it would interleave or reorder the lines
        Path hook = script("hook", "#!/bin/sh\nread line\nsleep 0.01\necho \"$1 $line\" >> " + out + "\n");
        Path slow = script("slow", "#!/bin/sh\nexec sleep 30\n");
        EventLog log = new EventLog("lvsd");
        try (EventHooks hooks = new EventHooks("lvsd", ProcessRunner.shared(), r -> {
            Thread t = new Thread(r, "notify");
            t.setDaemon(true);
            return t;
        })) {
            hooks.configure(new EventHooks.Settings(Map.of("operator", hook + " op", "reload", slow.toString()),
                    Duration.ofSeconds(3), ScriptUser.DAEMON));
            log.listen(hooks);
            log.publish("reload", new JsonObject().put("applied", true)); // killed after 3 s; the rest still run
            for (int i = 0; i < 20; i++) {
                log.publish("operator", new JsonObject().put("n", i));
                log.publish("real_server", new JsonObject()); // no program for this kind
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((!Files.exists(out) || Files.readAllLines(out).size() < 20) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(20);
        for (int i = 0; i < 20; i++) {
            JsonObject e = new JsonObject(lines.get(i).substring("op ".length()));
            assertThat(lines.get(i)).startsWith("op ");
            assertThat(e.getString("kind")).isEqualTo("operator");
            assertThat(e.getInteger("n")).isEqualTo(i);
            assertThat(e.getLong("seq")).isEqualTo(2L + 2 * i);
        }
    }

    private Path script(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }
}
