package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files are replaced whole and atomically, keep their mode, and are never written invalid. */
class WritingTest {
    @TempDir
    Path dir;

    @Test
    void writesAtomicallyKeepingTheModeAndBumpingTheSerial() throws Exception {
        Path file = dir.resolve("lvs.cf");
        Files.write(file, Fixtures.bytes("direct-two-servers-monitor-links.cf"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        LvsCfDocument doc = LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY).withVirtual(0, "scheduler", "rr");
        LvsCfDocument written = LvsCfFiles.write(file, doc, true);

        assertThat(Files.readAllBytes(file)).isEqualTo(written.bytes());
        LvsCfDocument back = LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY);
        assertThat(back.config().globals().serialNo()).isEqualTo(123);
        assertThat(back.config().virtuals().get(0).scheduler().keyword()).isEqualTo("rr");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-rw----");
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).as("no temporary file left behind").containsExactly(file);
        }
    }

    @Test
    void anInvalidDocumentIsNeverWritten() throws Exception {
        Path file = dir.resolve("lvs.cf");
        byte[] before = Fixtures.bytes("direct-two-servers-monitor-links.cf");
        Files.write(file, before);
        LvsCfDocument bad = LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY).withGlobal("keepalive", "soon");
        assertThatThrownBy(() -> LvsCfFiles.write(file, bad, true))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(file + ":9:13: error: keepalive: 'soon' is not an integer");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactly(file);
        }
    }

    @Test
    void aFileThatIsNotUtf8WritesBackByteForByte() throws Exception {
        byte[] latin1 = "# caf\u00e9 \u00ff\nserial_no = 1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("lvs.cf");
        Files.write(file, latin1);
        LvsCfDocument doc = LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY);
        assertThat(doc.bytes()).isEqualTo(latin1);
        LvsCfFiles.write(file, doc.bumpSerial());
        assertThat(Files.readAllBytes(file)).isEqualTo("# caf\u00e9 \u00ff\nserial_no = 2\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }
}
