package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/** The operator's drains and forced states survive a restart of lvsd, through the state file beside lvs.cf. */
class IntentsTest {
    @TempDir
    Path dir;
    Vertx vertx;
    RealServers servers;
    RealServers.Server rs1;
    RealServers.Server rs2;
    Lvsd lvsd;

    @BeforeEach
    void setUp() throws Exception {
        vertx = Vertx.vertx();
        servers = new RealServers();
        rs1 = servers.start("rs1");
        rs2 = servers.start("rs2");
        Files.writeString(dir.resolve("lvs.cf"), WebServiceCf.text("serial_no = 1\nprimary = 127.0.0.1\nbackend = userspace\n",
                "127.0.0.100 lo:100", RealServers.freePort(), "rr", "", WebServiceCf.Server.of("rs1", rs1.port()),
                WebServiceCf.Server.of("rs2", rs2.port())));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lvsd != null) {
            await(lvsd.shutdown());
        }
        servers.close();
        await(vertx.close());
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private void start() throws Exception {
        lvsd = new Lvsd(vertx, new LvsdOptions(dir.resolve("lvs.cf"), null, dir.resolve("lvsd.sock"), false, 0, Duration.ZERO));
        await(lvsd.start());
    }

    private JsonObject call(JsonObject request) throws Exception {
        return ControlClient.call(dir.resolve("lvsd.sock"), request, Duration.ofSeconds(10));
    }

    private JsonObject server(int port) throws Exception {
        for (Object o : call(new JsonObject().put("cmd", "status")).getJsonArray("services").getJsonObject(0).getJsonArray("servers")) {
            if (((JsonObject) o).getInteger("port") == port) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no server on port " + port);
    }

    @Test
    void aDrainAndAForcedDownSurviveARestartAndAutoClearsThem() throws Exception {
        start();
        assertThat(call(new JsonObject().put("cmd", "drain").put("service", "web").put("server", rs2.endpoint())
                .put("reason", "kernel update").put("who", "alice")).getBoolean("ok")).isTrue();
        call(new JsonObject().put("cmd", "force-down").put("service", "web").put("server", rs1.endpoint()));
        Path state = dir.resolve("lvsd.state");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rw-------");
        assertThat(Files.readString(state)).contains("kernel update").contains("alice").contains("drain").contains("force-down");

        await(lvsd.shutdown());
        lvsd = null;
        start();
        JsonObject rs2Status = server(rs2.port());
        assertThat(rs2Status.getString("override")).isEqualTo("drain");
        assertThat(rs2Status.getInteger("weight")).isZero();
        assertThat(rs2Status.getJsonObject("intent").getString("reason")).isEqualTo("kernel update");
        assertThat(rs2Status.getJsonObject("intent").getString("who")).isEqualTo("alice");
        Eventually.within(Duration.ofSeconds(10), () -> {
            assertThat(server(rs1.port()).getString("override")).isEqualTo("down");
            assertThat(server(rs1.port()).getBoolean("in_table")).isFalse();
        });

        call(new JsonObject().put("cmd", "auto").put("service", "web").put("server", rs2.endpoint()));
        call(new JsonObject().put("cmd", "auto").put("service", "web").put("server", rs1.endpoint()));
        assertThat(Files.readString(state)).doesNotContain("drain").doesNotContain("force-down");
        Eventually.within(Duration.ofSeconds(15), () -> assertThat(server(rs2.port()).getInteger("weight")).isPositive());
        assertThat(server(rs2.port()).containsKey("intent")).isFalse();
    }
}
