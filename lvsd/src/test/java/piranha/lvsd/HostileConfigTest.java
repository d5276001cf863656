package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import piranha.lvsd.testing.WebServiceCf;

/**
 * lvsd as a process on what no lvs.cf can be (3,000 nested blocks, /dev/zero, a FIFO without a
 * writer): a located error and no stack trace, from --check, at start, and at a reload that keeps
 * the running table.
 */
class HostileConfigTest {
    /** Bounds a hang, not a speed: the JVM starts on a loaded machine. */
    private static final long PROCESS_SECONDS = 60;
    @TempDir
    Path dir;
    FakeIpvsadmInstall ipvsadm;
    Process lvsd;
    Path log;

    @BeforeEach
    void setUp() throws Exception {
        ipvsadm = FakeIpvsadmInstall.in(dir);
        log = dir.resolve("lvsd.out");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (lvsd != null && lvsd.isAlive()) {
            lvsd.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    static String deep() {
        return "serial_no = 1\nprimary = 198.51.100.11\nservice = lvs\n" + "virtual a {\n".repeat(3_000);
    }

    private Process lvsd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "piranha.lvsd.LvsdMain"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private String output() throws Exception {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    private String check(Path file) throws Exception {
        Process p = lvsd("--check", "-c", file.toString());
        boolean ended = p.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(ended).as("lvsd --check ended").isTrue();
        assertThat(p.exitValue()).as(output()).isEqualTo(1);
        return output();
    }

    @Test
    void checkGivesOneLocatedErrorAndExitsOne() throws Exception {
        Path deep = Files.writeString(dir.resolve("deep.cf"), deep());
        assertThat(check(deep)).isEqualTo(deep + ":12:1: error: blocks nested more than 8 deep (lvs.cf has two levels:"
                + " virtual or failover, then server); nothing inside this block is read\n");
        assertThat(check(Path.of("/dev/zero")))
                .isEqualTo("/dev/zero: error: a character device, not a regular file; lvs.cf must be a regular file\n");
        Path fifo = dir.resolve("fifo.cf");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        assertThat(check(fifo)).isEqualTo(fifo + ": error: a FIFO, not a regular file; lvs.cf must be a regular file\n");
    }

    @Test
    void startOnADeepFileExitsOneWithTheLocatedError() throws Exception {
        Path cf = Files.writeString(dir.resolve("lvs.cf"), deep());
        lvsd = lvsd("-n", "-c", cf.toString(), "--backend=ipvsadm", "--control-socket", dir.resolve("lvsd.sock").toString());
        assertThat(lvsd.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(lvsd.exitValue()).isEqualTo(1);
        assertThat(output()).contains("lvsd: error: cannot start: cannot read " + cf + ": " + cf + ":12:1: error: blocks nested more than 8 deep")
                .doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("null");
    }

    @Test
    void aReloadOfADeepFileOrADeviceIsRefusedAndTheTableStays() throws Exception {
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, WebServiceCf.text("primary = 198.51.100.11\nipvsadm = " + ipvsadm.path() + "\n",
                "198.51.100.10 eth0:1", 80, "wlc", "", WebServiceCf.Server.of("rs1", 1)));
        lvsd = lvsd("-n", "-c", cf.toString(), "--backend=ipvsadm", "--control-socket", dir.resolve("lvsd.sock").toString());
        Eventually.within(Duration.ofSeconds(PROCESS_SECONDS), () -> assertThat(ControlClient.call(dir.resolve("lvsd.sock"),
                new JsonObject().put("cmd", "wait-ready"), Duration.ofSeconds(30)).getBoolean("ready")).isTrue());
        Eventually.within(Duration.ofSeconds(15), () -> assertThat(ipvsadm.table()).contains("-A -t 198.51.100.10:80 -s wlc"));

        Path deep = Files.writeString(dir.resolve("deep.cf"), deep());
        Files.move(deep, cf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        hup();
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(output())
                .contains("lvsd: error: reload refused: cannot read " + cf + ": " + cf + ":12:1: error: blocks nested more than 8 deep"));

        Path link = Files.createSymbolicLink(dir.resolve("zero.cf"), Path.of("/dev/zero"));
        Files.move(link, cf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        hup();
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(output())
                .contains("lvsd: error: reload refused: cannot read " + cf + ": " + cf + ": error: a character device, not a regular file"));

        assertThat(lvsd.isAlive()).isTrue();
        assertThat(ipvsadm.table()).contains("-A -t 198.51.100.10:80 -s wlc");
        assertThat(output()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain(": null");
    }

    private void hup() throws Exception {
        new ProcessBuilder("kill", "-HUP", Long.toString(lvsd.pid())).redirectError(new File("/dev/null")).start().waitFor();
    }

    /** keepalived's enable_script_security: refused at start, and a reload that adds such a program keeps the table. */
    @Test
    void aCheckProgramAnotherUserCouldChangeIsRefusedAtStartAndReload() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(piranha.lvscf.ScriptSecurity.processRunsAsRoot(), "needs root: lvsd judges for its own user");
        Path probe = piranha.lvsd.testing.UnsafeProgram.in(dir);
        Path open = probe.getParent();
        Path cf = dir.resolve("lvs.cf");
        String good = WebServiceCf.text("primary = 198.51.100.11\nipvsadm = " + ipvsadm.path() + "\n",
                "198.51.100.10 eth0:1", 80, "wlc", "", WebServiceCf.Server.of("rs1", 1));
        String unsafe = good.replace(" timeout = 2\n", " timeout = 2\n send_program = \"" + probe + " %h\"\n");
        String located = cf + ":11:17: error: send_program: " + probe + " would run as root, but " + open + " is writable by every user";

        Files.writeString(cf, unsafe);
        lvsd = lvsd("-n", "-c", cf.toString(), "--backend=ipvsadm", "--control-socket", dir.resolve("lvsd.sock").toString());
        assertThat(lvsd.waitFor(PROCESS_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(lvsd.exitValue()).isEqualTo(1);
        assertThat(output()).contains("lvsd: error: cannot start: " + located).doesNotContain("\tat ");
        assertThat(ipvsadm.calls()).isEmpty();

        Files.writeString(cf, good);
        lvsd = lvsd("-n", "-c", cf.toString(), "--backend=ipvsadm", "--control-socket", dir.resolve("lvsd.sock").toString());
        Eventually.within(Duration.ofSeconds(PROCESS_SECONDS), () -> assertThat(ControlClient.call(dir.resolve("lvsd.sock"),
                new JsonObject().put("cmd", "wait-ready"), Duration.ofSeconds(30)).getBoolean("ready")).isTrue());
        Files.writeString(cf, unsafe.replace("scheduler = wlc", "scheduler = rr"));
        hup();
        Eventually.within(Duration.ofSeconds(30), () -> assertThat(output()).contains("lvsd: error: reload refused: " + located));
        assertThat(ipvsadm.table()).contains("-A -t 198.51.100.10:80 -s wlc");
    }
}
