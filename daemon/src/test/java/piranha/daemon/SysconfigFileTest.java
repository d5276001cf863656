package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysconfigFileTest {
    @TempDir
    Path dir;

    @Test
    void readsShellStyleAssignments() throws Exception {
        Path f = dir.resolve("pulse");
        Files.writeString(f, "# extra pulse options\nOPTIONS=\"--forceactive -v\"\nPORT='3636'\nexport BIND=127.0.0.1\nEMPTY=\n");
        SysconfigFile s = SysconfigFile.read(f);
        assertThat(s.get("OPTIONS")).contains("--forceactive -v");
        assertThat(s.get("PORT")).contains("3636");
        assertThat(s.get("BIND")).contains("127.0.0.1");
        assertThat(s.get("EMPTY")).contains("");
        assertThat(s.get("MISSING")).isEmpty();
    }

    @Test
    void anAbsentFileHasNoSettings() throws Exception {
        assertThat(SysconfigFile.read(dir.resolve("none")).asMap()).isEmpty();
    }
}
