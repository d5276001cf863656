package piranha.pulse.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.ControlServer;

/** The partner's intent: told to a running lvsd as differences, or written for one that is not running. */
class IntentInstallerTest {
    @TempDir
    Path dir;

    static byte[] state(String... entries) {
        JsonObject servers = new JsonObject();
        for (int i = 0; i < entries.length; i += 3) {
            servers.put(entries[i], new JsonObject().put("action", entries[i + 1]).put("reason", entries[i + 2])
                    .put("who", "alice").put("when", "2026-12-05T08:00:00Z"));
        }
        return new JsonObject().put("servers", servers).encode().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRunningLvsdIsToldEachDifference() throws Exception {
        Path state = dir.resolve("lvsd.state");
        Files.write(state, state("-t 198.51.100.100:80 -r 198.51.100.22:80", "force-up", null,
                "-t 198.51.100.100:80 -r 198.51.100.23:80", "drain", "same"));
        List<JsonObject> told = new CopyOnWriteArrayList<>();
        java.util.function.Function<JsonObject, Future<JsonObject>> record = r -> {
            told.add(r);
            return Future.succeededFuture(new JsonObject().put("ok", true));
        };
        try (ControlServer lvsd = ControlServer.start(dir.resolve("lvsd.sock"),
                Map.of("drain", record, "auto", record, "force-down", record, "force-up", record), Duration.ofSeconds(5))) {
            IntentInstaller installer = new IntentInstaller(state, dir.resolve("lvsd.sock"));
            SyncProtocol.Reply r = installer.install(new SyncProtocol.Offer(SyncProtocol.Kind.INTENTS, 10,
                    state("-t 198.51.100.100:80 -r 198.51.100.21:80", "drain", "kernel update",
                            "-t 198.51.100.100:80 -r 198.51.100.23:80", "drain", "same")), InetAddress.getLoopbackAddress());
            assertThat(r.accepted()).as(r.reason()).isTrue();
            assertThat(told).extracting(j -> j.getString("cmd") + " " + j.getString("service") + " " + j.getString("server")
                    + " " + j.getString("reason") + " " + j.getString("who")).containsExactly(
                    "drain -t 198.51.100.100:80 198.51.100.21:80 kernel update alice",
                    "auto -t 198.51.100.100:80 198.51.100.22:80 null partner");
            // the same moment again, or an older one: refused
            assertThat(installer.install(new SyncProtocol.Offer(SyncProtocol.Kind.INTENTS, 10, state()), null).reason())
                    .contains("not newer");
        }
    }

    @Test
    void withoutARunningLvsdTheFileIsWrittenForItsStart() throws Exception {
        Path state = dir.resolve("lvsd.state");
        byte[] wanted = state("-t 198.51.100.100:80 -r 198.51.100.21:80", "force-down", "disk");
        SyncProtocol.Reply r = new IntentInstaller(state, dir.resolve("no-lvsd.sock"))
                .install(new SyncProtocol.Offer(SyncProtocol.Kind.INTENTS, 1, wanted), null);
        assertThat(r.accepted()).isTrue();
        assertThat(r.reason()).contains("lvsd is not running here");
        assertThat(Files.readAllBytes(state)).isEqualTo(wanted);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rw-------");
        assertThat(new IntentInstaller(state, dir.resolve("no-lvsd.sock"))
                .install(new SyncProtocol.Offer(SyncProtocol.Kind.INTENTS, 2, "not json".getBytes()), null).reason())
                .contains("not lvsd.state's JSON");
    }
}
