package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pulse on what no lvs.cf can be, at start and on SIGHUP: a located error, no stack trace, and on
 * SIGHUP the running configuration kept. Runs in test-start mode (-t) on loopback: nothing is changed.
 */
class HostileConfigTest {
    @TempDir
    Path dir;

    static String deep() {
        return "serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\n" + "virtual a {\n".repeat(3_000);
    }

    private Path cf(String text) throws Exception {
        return Files.writeString(dir.resolve("lvs.cf"), text);
    }

    private Process pulse(Path cf, String... jvm) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms16m", "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k")); // as bin/pulse
        argv.addAll(List.of(jvm));
        argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "piranha.pulse.PulseMain", "-n", "-t",
                "-c", cf.toString(), "--control-socket", dir.resolve("pulse.sock").toString()));
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(dir.resolve("pulse.out").toFile()).start();
    }

    private String output() throws Exception {
        return Files.readString(dir.resolve("pulse.out"), StandardCharsets.UTF_8);
    }

    private String refusedAtStart(Path cf) throws Exception {
        Process p = pulse(cf);
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(ended).as("pulse -c " + cf + " ended").isTrue();
        assertThat(p.exitValue()).as(output()).isEqualTo(1);
        assertThat(output()).doesNotContain("\tat ").doesNotContain("Exception").doesNotContain("Error:");
        return output();
    }

    @Test
    void startRefusesADeepFileADeviceAndAFileLargerThanTheHeapWithALocatedError() throws Exception {
        Path deep = cf(deep());
        assertThat(refusedAtStart(deep)).isEqualTo("pulse: cannot read " + deep + ": " + deep
                + ":12:1: error: blocks nested more than 8 deep (lvs.cf has two levels: virtual or failover, then server);"
                + " nothing inside this block is read\n");
        assertThat(refusedAtStart(Path.of("/dev/zero"))).isEqualTo("pulse: cannot read /dev/zero: /dev/zero: error:"
                + " a character device, not a regular file; lvs.cf must be a regular file\n");
        StringBuilder big = new StringBuilder("primary = 127.0.0.1\nservice = lvs\nvirtual web {\n active = 1\n address = 198.51.100.10 lo:9\n");
        for (int i = 0; big.length() < 8_000_000; i++) {
            big.append(" server s").append(i).append(" {\n  address = 198.51.100.21\n  active = 1\n }\n");
        }
        Path large = cf(big.append("}\n").toString());
        assertThat(refusedAtStart(large)).startsWith("pulse: cannot read " + large + ": its ")
                .contains("bytes need more memory than pulse's heap");
    }

    @Test
    void sighupWithADeepFileKeepsTheRunningConfiguration() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path cf = cf("serial_no = 1\nprimary = 127.0.0.1\nbackup = 127.0.0.2\nbackup_active = 1\nheartbeat_port = " + port
                + "\nkeepalive = 1\ndeadtime = 3\nservice = lvs\nvirtual web {\n active = 1\n address = 198.51.100.10 lo:9\n}\n");
        Process p = pulse(cf);
        try {
            waitForLog("STARTING PULSE AS MASTER");
            Path deep = Files.writeString(dir.resolve("deep.cf"), deep());
            Files.move(deep, cf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
            waitForLog("configuration not reloaded: the running one is kept");
            assertThat(output()).contains("pulse: error: cannot read " + cf + ": " + cf + ":12:1: error: blocks nested more than 8 deep")
                    .doesNotContain("\tat ").doesNotContain("Exception");
            assertThat(p.isAlive()).isTrue();
        } finally {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private void waitForLog(String text) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!output().contains(text)) {
            assertThat(System.nanoTime() - end).as("waiting for '%s' in:\n%s", text, output()).isNegative();
            Thread.sleep(50);
        }
    }

    /** keepalived's enable_script_security: a hook another user could change stops pulse at start. */
    @Test
    void aHookAnotherUserCouldChangeIsRefusedAtStart() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(piranha.lvscf.ScriptSecurity.processRunsAsRoot(), "needs root: pulse judges for its own user");
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Path hook = Files.writeString(open.resolve("up.sh"), "#!/bin/sh\nexit 0\n");
        Path cf = cf("serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\nipvsadm = /usr/sbin/ipvsadm\nactive_cmd = " + hook
                + "\nvirtual web {\n active = 1\n address = 198.51.100.10 lo:9\n}\n");
        assertThat(refusedAtStart(cf)).isEqualTo("pulse: " + cf + ":5:14: error: active_cmd: " + hook + " would run as root, but "
                + open + " is writable by every user; make it and its directories writable by root only, or set script_user\n");
    }
}
