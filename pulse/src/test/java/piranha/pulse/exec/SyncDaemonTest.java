package piranha.pulse.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.config.PulseConfig;

/** syncdaemon drives ipvsadm (here a recording stand-in) only with the ipvsadm backend. */
class SyncDaemonTest {
    @TempDir
    Path dir;

    PulseConfig config(boolean syncdaemon, String backend, String ipvsadm) throws Exception {
        Inet4Address a = (Inet4Address) InetAddress.getByName("198.51.100.1");
        return new PulseConfig(a, a, null, null, true, 539, Duration.ofSeconds(2), Duration.ofSeconds(5), "direct",
                null, null, List.of(), null, null, false, syncdaemon, "eth1", 0x1ff, ipvsadm, backend, null, List.of());
    }

    @Test
    void switchesRolesWithPiranhasCommands() throws Exception {
        Path log = dir.resolve("calls");
        Path ipvsadm = dir.resolve("ipvsadm");
        Files.writeString(ipvsadm, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
        Files.setPosixFilePermissions(ipvsadm, PosixFilePermissions.fromString("rwx------"));
        SyncDaemon sync = new SyncDaemon(new CommandRunner(false), config(true, "ipvsadm", ipvsadm.toString()));
        sync.become("master");
        sync.become("backup");
        assertThat(Files.readAllLines(log)).containsExactly(
                "--stop-daemon backup", "--stop-daemon master",
                "--start-daemon master --mcast-interface eth1 --syncid 255",
                "--stop-daemon backup", "--stop-daemon master",
                "--start-daemon backup --mcast-interface eth1 --syncid 255");
    }

    @Test
    void doesNotApplyWithoutTheIpvsadmBackendOrWhenOff() throws Exception {
        Path log = dir.resolve("calls");
        Path ipvsadm = dir.resolve("ipvsadm");
        Files.writeString(ipvsadm, "#!/bin/sh\necho \"$@\" >> " + log + "\n");
        Files.setPosixFilePermissions(ipvsadm, PosixFilePermissions.fromString("rwx------"));
        new SyncDaemon(new CommandRunner(false), config(true, "userspace", ipvsadm.toString())).become("master");
        new SyncDaemon(new CommandRunner(false), config(false, "ipvsadm", ipvsadm.toString())).become("master");
        assertThat(log).doesNotExist();
    }
}
