package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.vertx.core.json.JsonObject;
import piranha.daemon.ControlClient;
import piranha.lvsd.testing.Eventually;
import piranha.lvsd.testing.FakeIpvsadmInstall;
import piranha.lvsd.testing.RealServers;
import piranha.lvsd.testing.WebServiceCf;

/** lvsd as a real process: readiness on its socket, SIGHUP reloads, SIGTERM cleans up and exits 0. */
class LvsdProcessTest {
    @TempDir
    Path dir;
    FakeIpvsadmInstall ipvsadm;
    RealServers servers;
    RealServers.Server rs1;
    Process lvsd;
    Path log;

    @BeforeEach
    void setUp() throws Exception {
        ipvsadm = FakeIpvsadmInstall.in(dir);
        servers = new RealServers();
        rs1 = servers.start("rs1");
        log = dir.resolve("lvsd.out");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lvsd != null && lvsd.isAlive()) {
            lvsd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        servers.close();
    }

    private String config(String scheduler) {
        return WebServiceCf.text("primary = 198.51.100.11\nipvsadm = " + ipvsadm.path() + "\n", "198.51.100.10 eth0:1", 80,
                scheduler, "", WebServiceCf.Server.of("rs1", rs1.port()));
    }

    private Process start(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "piranha.lvsd.LvsdMain",
                "-c", dir.resolve("lvs.cf").toString(), "--backend=ipvsadm", "--control-socket", dir.resolve("lvsd.sock").toString()));
        cmd.addAll(List.of(extra));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private String output() throws Exception {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Test
    void readyReloadOnHupAndCleanExitOnTerm() throws Exception {
        Files.writeString(dir.resolve("lvs.cf"), config("wlc"));
        lvsd = start("-n");
        assertThat(ready()).isTrue();
        Eventually.within(Duration.ofSeconds(15), () -> assertThat(ipvsadm.table()).as(output()).containsExactly("-A -t 198.51.100.10:80 -s wlc", "-a -t 198.51.100.10:80 -r " + rs1.endpoint() + " -m -w 1"));

        Files.writeString(dir.resolve("lvs.cf"), config("rr"));
        kill("HUP");
        Eventually.within(Duration.ofSeconds(15), () -> assertThat(ipvsadm.table()).contains("-A -t 198.51.100.10:80 -s rr"));

        kill("TERM");
        assertThat(lvsd.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(lvsd.exitValue()).isZero();
        assertThat(ipvsadm.table()).isEmpty();
        assertThat(output()).contains("lvsd: starting virtual service web active: 80")
                .contains("lvsd: [ active ] making " + rs1.endpoint() + " available")
                .contains("lvsd: rereading configuration file")
                .contains("lvsd: shutting down virtual service web")
                .contains("lvsd: Terminating due to signal 15");
        assertThat(dir.resolve("lvsd.sock")).doesNotExist();
    }

    @Test
    void aBadConfigurationExitsOneWithTheLocatedError() throws Exception {
        Files.writeString(dir.resolve("lvs.cf"), config("fastest"));
        lvsd = start("-n");
        assertThat(lvsd.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(lvsd.exitValue()).isEqualTo(1);
        assertThat(output()).contains("lvsd: error: cannot start: error parsing").contains("lvs.cf:7:14: error: scheduler: 'fastest' is not one of");
        assertThat(ipvsadm.calls()).isEmpty();
    }

    @Test
    void testStartChangesNothing() throws Exception {
        Files.writeString(dir.resolve("lvs.cf"), config("wlc"));
        lvsd = start("-n", "-t");
        assertThat(ready()).isTrue();
        kill("TERM");
        assertThat(lvsd.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(ipvsadm.calls()).isEmpty();
        assertThat(output()).contains("would run: " + ipvsadm.path() + " -A -t 198.51.100.10:80 -s wlc");
    }

    /** Waits for the daemon's control socket, then for its readiness. */
    private boolean ready() throws Exception {
        Path sock = dir.resolve("lvsd.sock");
        // The socket file appears at bind(), a moment before listen(): a refusal then means "starting".
        boolean[] ready = new boolean[1];
        Eventually.within(Duration.ofSeconds(30), () -> ready[0] = ControlClient.call(sock,
                new JsonObject().put("cmd", "wait-ready"), Duration.ofSeconds(30)).getBoolean("ready"));
        return ready[0];
    }

    private void kill(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(lvsd.pid())).redirectError(new File("/dev/null")).start().waitFor();
    }
}
