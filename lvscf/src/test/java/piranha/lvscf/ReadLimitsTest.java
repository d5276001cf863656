package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import piranha.lvscf.syntax.SyntaxTree;

/** What no lvs.cf can be is refused with a located error: deep nesting, special files, huge files. */
class ReadLimitsTest {
    @TempDir
    Path dir;

    static String nested(int depth) {
        StringBuilder sb = new StringBuilder("serial_no = 1\nprimary = 192.0.2.1\nservice = lvs\n");
        for (int i = 0; i < depth; i++) {
            sb.append("virtual a {\n");
        }
        return sb.toString();
    }

    @Test
    void deepNestingIsALocatedErrorAndNeverOverflowsTheStack() {
        for (int depth : new int[] {3_000, 200_000}) {
            LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", nested(depth), HostResolver.NUMERIC_ONLY);
            int firstTooDeep = 3 + SyntaxTree.MAX_NESTING + 1;
            assertThat(doc.errors()).extracting(Diagnostic::toString)
                    .contains("lvs.cf:" + firstTooDeep + ":1: error: " + SyntaxTree.TOO_DEEP);
            assertThat(doc.text()).isEqualTo(nested(depth));
            // Everything that walks the tree copes with it: edits, the outline, the writer's bytes.
            assertThat(doc.withGlobal("serial_no", "2").text()).startsWith("serial_no = 2\n");
            assertThat(doc.reread(nested(depth).replace("serial_no = 1", "serial_no = 3").getBytes(StandardCharsets.UTF_8))
                    .text()).startsWith("serial_no = 3\n");
        }
    }

    @Test
    void nestingWithinTheLimitIsReadAsOrdinaryErrors() {
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", "virtual a {\n server b {\n  server c {\n  }\n }\n}\n",
                HostResolver.NUMERIC_ONLY);
        assertThat(doc.errors()).extracting(Diagnostic::toString)
                .containsExactly("lvs.cf:3:3: error: server block inside another server block");
    }

    @Test
    void theFileReaderRefusesADeepFileWithTheLocatedError() throws Exception {
        Path file = dir.resolve("lvs.cf");
        Files.writeString(file, nested(3_000));
        assertThatThrownBy(() -> LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY))
                .isInstanceOf(RefusedFileException.class)
                .hasMessage(file + ":12:1: error: " + SyntaxTree.TOO_DEEP);
        LvsCfDocument previous = LvsCfDocument.parse(file.toString(), nested(2).getBytes(StandardCharsets.UTF_8),
                HostResolver.NUMERIC_ONLY);
        assertThatThrownBy(() -> LvsCfFiles.reread(file, previous)).isInstanceOf(RefusedFileException.class)
                .hasMessage(file + ":12:1: error: " + SyntaxTree.TOO_DEEP);
    }

    @Test
    void aCharacterDeviceIsRefusedAtOnce() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> LvsCfFiles.read(Path.of("/dev/zero")))
                .isInstanceOf(RefusedFileException.class)
                .hasMessage("/dev/zero: error: a character device, not a regular file; lvs.cf must be a regular file"));
    }

    @Test
    void aFifoWithoutAWriterIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("lvs.cf");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("mkfifo").isZero();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> LvsCfFiles.read(fifo))
                .isInstanceOf(RefusedFileException.class)
                .hasMessage(fifo + ": error: a FIFO, not a regular file; lvs.cf must be a regular file"));
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> LvsCfFiles.read(dir)).isInstanceOf(RefusedFileException.class)
                .hasMessage(dir + ": error: a directory, not a regular file; lvs.cf must be a regular file");
    }

    @Test
    void aFileOverTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path file = dir.resolve("lvs.cf");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(LvsCfFiles.MAX_BYTES + 1); // sparse: no disk used
        }
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> LvsCfFiles.read(file))
                .isInstanceOf(RefusedFileException.class)
                .hasMessage(file + ": error: 67,108,865 bytes is too large; lvs.cf may have at most 64 MiB (67,108,864 bytes)"));
    }

    @Test
    void aSymbolicLinkToARegularFileIsRead() throws Exception {
        Path target = dir.resolve("real.cf");
        Files.writeString(target, "serial_no = 7\nprimary = 192.0.2.1\nservice = lvs\n");
        Path link = Files.createSymbolicLink(dir.resolve("lvs.cf"), target.getFileName());
        assertThat(LvsCfFiles.read(link, HostResolver.NUMERIC_ONLY).config().globals().serialNo()).isEqualTo(7);
    }
}
