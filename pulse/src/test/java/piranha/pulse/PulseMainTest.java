package piranha.pulse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: real JVMs, exit codes, messages without stack traces. */
class PulseMainTest {
    @TempDir
    Path dir;

    record Run(int status, String out) {}

    static Run pulse(String main, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    Path cf(String... lines) throws Exception {
        Path f = dir.resolve("lvs.cf");
        Files.writeString(f, String.join("\n", lines) + "\n");
        return f;
    }

    @Test
    void versionAndUnknownOptions() throws Exception {
        Run v = pulse("piranha.pulse.PulseMain", "--version");
        assertThat(v.status()).isZero();
        assertThat(v.out()).startsWith("pulse (piranha) ");
        Run bad = pulse("piranha.pulse.PulseMain", "--bogus");
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.out()).contains("Unknown option: '--bogus'", "Usage: pulse").doesNotContain("Exception");
        Run positional = pulse("piranha.pulse.PulseMain", "extra");
        assertThat(positional.status()).isEqualTo(2);
    }

    @Test
    void configurationProblemsAreNamed() throws Exception {
        Run missing = pulse("piranha.pulse.PulseMain", "-n", "-c", dir.resolve("nope.cf").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.out()).contains("pulse: cannot read " + dir.resolve("nope.cf")).doesNotContain("Exception");

        Path noServices = cf("primary = 203.0.113.1", "backup = 203.0.113.2", "backup_active = 1");
        Run none = pulse("piranha.pulse.PulseMain", "-n", "-c", noServices.toString());
        assertThat(none.status()).isEqualTo(1);
        assertThat(none.out()).contains("pulse: no active lvs services defined");

        Path key = dir.resolve("key");
        Files.writeString(key, "0123456789abcdef0123456789");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        Path keyed = cf("primary = 203.0.113.1", "backup = 203.0.113.2", "backup_active = 1",
                "heartbeat_key_file = " + key, "virtual web {", "active = 1", "address = 203.0.113.100 eth0:1", "}");
        Run leaky = pulse("piranha.pulse.PulseMain", "-n", "-c", keyed.toString());
        assertThat(leaky.status()).isEqualTo(1);
        assertThat(leaky.out()).contains("must not be accessible by group or others");

        Path loneBackup = cf("primary = 203.0.113.1", "backup_active = 0",
                "virtual web {", "active = 1", "address = 203.0.113.100 eth0:1", "}");
        Run exits = pulse("piranha.pulse.PulseMain", "-n", "-c", loneBackup.toString());
        assertThat(exits.status()).isZero();
        assertThat(exits.out()).contains("BACKUP with backup_active = 0: pulse exiting");
    }

    @Test
    void sendArpArgumentErrors() throws Exception {
        Run few = pulse("piranha.pulse.SendArpMain", "198.51.100.1");
        assertThat(few.status()).isEqualTo(1);
        assertThat(few.out()).contains("Usage: send_arp");
        Run badMac = pulse("piranha.pulse.SendArpMain", "-i", "lo", "198.51.100.1", "xyz", "0", "ffffffffffff");
        assertThat(badMac.status()).isEqualTo(1);
        assertThat(badMac.out()).contains("send_arp: bad hardware address: xyz");
        Run badIp = pulse("piranha.pulse.SendArpMain", "-i", "lo", "host.invalid", "020000000011", "0", "ffffffffffff");
        assertThat(badIp.status()).isEqualTo(1);
        assertThat(badIp.out()).contains("send_arp: ").doesNotContain("Exception");
    }
}
