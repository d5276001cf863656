package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void holdsOurPidUntilClosed() throws Exception {
        Path f = dir.resolve("run/pulse.pid");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "99999999\n"); // left by a daemon that died
        try (PidFile pid = PidFile.write(f)) {
            assertThat(Files.readString(f)).isEqualTo(ProcessHandle.current().pid() + "\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
            assertThat(pid.path()).isEqualTo(f);
        }
        assertThat(f).doesNotExist();
        assertThat(dir.resolve("run")).isEmptyDirectory();
    }

    @Test
    void leavesAFileAnotherProcessHasTakenOver() throws Exception {
        Path f = dir.resolve("pulse.pid");
        PidFile pid = PidFile.write(f);
        Files.writeString(f, "4242\n");
        pid.close();
        assertThat(Files.readString(f)).isEqualTo("4242\n");
    }

    @Test
    void anUnwritablePlaceIsNamed() throws Exception {
        Path blocker = dir.resolve("file");
        Files.writeString(blocker, "");
        assertThatThrownBy(() -> PidFile.write(blocker.resolve("pulse.pid"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot write the pid file " + blocker.resolve("pulse.pid"));
    }
}
