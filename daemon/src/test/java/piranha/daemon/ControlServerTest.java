package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

class ControlServerTest {
    private static final Duration SECOND = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private ControlServer start(Map<String, Function<JsonObject, Future<JsonObject>>> commands) throws IOException {
        return ControlServer.start(dir.resolve("run/test.sock"), commands, Duration.ofMillis(300));
    }

    @Test
    void answersACommandOnAPrivateSocket() throws Exception {
        try (ControlServer s = start(Map.of("status", r -> Future.succeededFuture(new JsonObject().put("state", "active"))))) {
            assertThat(ControlClient.call(s.path(), new JsonObject().put("cmd", "status"), SECOND))
                    .isEqualTo(new JsonObject().put("state", "active"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path()))).isEqualTo("rw-------");
        }
        assertThat(dir.resolve("run/test.sock")).doesNotExist();
    }

    @Test
    void aGroupMayBeGivenTheSocket() throws Exception {
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        try (ControlServer s = ControlServer.start(dir.resolve("g.sock"), Map.of(), SECOND, group)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.path()))).isEqualTo("rw-rw----");
            assertThat(Files.readAttributes(s.path(), java.nio.file.attribute.PosixFileAttributes.class).group().getName()).isEqualTo(group);
        }
    }

    @Test
    void handlersSeeTheWholeRequest() throws Exception {
        try (ControlServer s = start(Map.of("drain", r -> Future.succeededFuture(new JsonObject().put("server", r.getString("server")))))) {
            JsonObject reply = ControlClient.call(s.path(), new JsonObject().put("cmd", "drain").put("server", "198.51.100.21:80"), SECOND);
            assertThat(reply.getString("server")).isEqualTo("198.51.100.21:80");
        }
    }

    @Test
    void unknownCommandsAndBadRequestsGetAnError() throws Exception {
        try (ControlServer s = start(Map.of("status", r -> Future.succeededFuture(new JsonObject())))) {
            JsonObject unknown = ControlClient.call(s.path(), new JsonObject().put("cmd", "reboot"), SECOND);
            assertThat(unknown.getString("error")).isEqualTo("unknown command 'reboot'");
            assertThat(unknown.getJsonArray("commands").getList()).containsExactly("status");
            assertThat(s.answer("[1,2]").getString("error")).startsWith("not a JSON object");
            assertThat(s.answer("{}").getString("error")).isEqualTo("missing \"cmd\"");
        }
    }

    @Test
    void aDeferredReplyArrivesWhenReadyOrTimesOut() throws Exception {
        Promise<JsonObject> ready = Promise.promise();
        try (ControlServer s = start(Map.of("wait-ready", r -> ready.future(), "never", r -> Promise.<JsonObject>promise().future()))) {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ignored) {
                    return;
                }
                ready.complete(new JsonObject().put("ready", true));
            });
            t.start();
            assertThat(ControlClient.call(s.path(), new JsonObject().put("cmd", "wait-ready"), SECOND).getBoolean("ready")).isTrue();
            assertThat(ControlClient.call(s.path(), new JsonObject().put("cmd", "never"), SECOND).getString("error"))
                    .isEqualTo("never: no answer within 300 ms");
        }
    }

    @Test
    void aFailedHandlerIsReportedNotFatal() throws Exception {
        try (ControlServer s = start(Map.of("boom", r -> Future.failedFuture("table busy")))) {
            assertThat(ControlClient.call(s.path(), new JsonObject().put("cmd", "boom"), SECOND).getString("error"))
                    .isEqualTo("boom: table busy");
        }
    }

    @Test
    void aStaleSocketFileIsReplaced() throws Exception {
        Path p = dir.resolve("run/test.sock");
        Files.createDirectories(p.getParent());
        Files.writeString(p, "left behind");
        try (ControlServer s = start(Map.of("status", r -> Future.succeededFuture(new JsonObject().put("ok", true))))) {
            assertThat(ControlClient.call(s.path(), new JsonObject().put("cmd", "status"), SECOND).getBoolean("ok")).isTrue();
        }
    }

    @Test
    void aClientSaysClearlyWhenNoDaemonRuns() throws Exception {
        assertThatThrownBy(() -> ControlClient.call(dir.resolve("none.sock"), new JsonObject().put("cmd", "status"), SECOND))
                .isInstanceOf(IOException.class).hasMessageContaining("not running: no control socket at");
        ControlServer s = start(Map.of());
        Path p = s.path();
        s.close();
        Files.createFile(p);
        assertThatThrownBy(() -> ControlClient.call(p, new JsonObject().put("cmd", "status"), SECOND))
                .isInstanceOf(IOException.class).hasMessageContaining("not running: nothing listens on");
    }

    @Test
    void threadsComeFromTheDaemonsFactoryWhenGiven() throws Exception {
        java.util.Set<String> made = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.ThreadFactory threads = r -> {
            Thread t = new Thread(r, "own-" + made.size());
            t.setDaemon(true);
            made.add(t.getName());
            return t;
        };
        try (ControlServer s = ControlServer.start(dir.resolve("f.sock"),
                Map.of("who", r -> Future.succeededFuture(new JsonObject().put("thread", Thread.currentThread().getName()))),
                SECOND, threads)) {
            String served = ControlClient.call(s.path(), new JsonObject().put("cmd", "who"), SECOND).getString("thread");
            assertThat(made).contains(served).hasSizeGreaterThanOrEqualTo(2); // the acceptor and a connection's
        }
    }

    @Test
    void aPendingRequestCanBeAbandoned() throws Exception {
        try (ControlServer s = start(Map.of("never", r -> Promise.<JsonObject>promise().future()))) {
            var pending = ControlClient.request(s.path(), new JsonObject().put("cmd", "never"));
            Thread.sleep(50);
            assertThat(pending).isNotDone();
            pending.cancel(true);
            assertThat(pending).isCancelled();
            // the server answers its timeout to nobody and keeps serving
            assertThat(ControlClient.call(s.path(), new JsonObject().put("cmd", "never"), SECOND).getString("error"))
                    .isEqualTo("never: no answer within 300 ms");
        }
    }
}
