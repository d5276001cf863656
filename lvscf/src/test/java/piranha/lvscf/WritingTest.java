package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
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

    @Test
    void savingThroughASymbolicLinkReplacesItsTargetAndKeepsTheLink() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path target = real.resolve("lvs.cf");
        Files.write(target, Fixtures.bytes("direct-two-servers-monitor-links.cf"));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
        Path link = Files.createSymbolicLink(dir.resolve("lvs.cf"), Path.of("real/lvs.cf"));

        LvsCfDocument doc = LvsCfFiles.read(link, HostResolver.NUMERIC_ONLY).withVirtual(0, "scheduler", "rr");
        LvsCfDocument written = LvsCfFiles.write(link, doc, true);

        assertThat(Files.isSymbolicLink(link)).as("the link is still a link").isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("real/lvs.cf"));
        assertThat(Files.readAllBytes(target)).as("the target holds the new text").isEqualTo(written.bytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
        try (var s = Files.list(real)) {
            assertThat(s.toList()).as("no temporary file left next to the target").containsExactly(target);
        }
    }

    @Test
    void aDanglingSymbolicLinkIsRefused() throws Exception {
        Path link = Files.createSymbolicLink(dir.resolve("lvs.cf"), Path.of("gone.cf"));
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", Fixtures.bytes("direct-two-servers-monitor-links.cf"),
                HostResolver.NUMERIC_ONLY);
        assertThatThrownBy(() -> LvsCfFiles.write(link, doc))
                .hasMessage(link + " is a symbolic link to gone.cf, which does not exist; nothing was written");
        assertThat(Files.isSymbolicLink(link)).isTrue();
    }

    @Test
    void staleTemporaryFilesOfOurNamingAreRemovedAndNoOthers() throws Exception {
        Path file = dir.resolve("lvs.cf");
        Files.write(file, Fixtures.bytes("direct-two-servers-monitor-links.cf"));
        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofMinutes(5)));
        Path crashed = Files.writeString(dir.resolve(".lvs.cf.4214124214.tmp"), "half a file");
        Path fresh = Files.writeString(dir.resolve(".lvs.cf.99.tmp"), "being written right now");
        Path inUse = Files.writeString(dir.resolve(".lvs.cf.77.tmp"), "locked by its writer");
        Path notOurs = Files.writeString(dir.resolve(".lvs.cf.swp.tmp"), "an editor's");
        Path otherFile = Files.writeString(dir.resolve(".passwd.123.tmp"), "another file's");
        for (Path p : List.of(crashed, inUse, notOurs, otherFile)) {
            Files.setLastModifiedTime(p, old);
        }
        try (FileChannel ch = FileChannel.open(inUse, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            assertThat(LvsCfFiles.removeStaleTemporaries(file)).containsExactly(crashed);
        }
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactlyInAnyOrder(file, fresh, inUse, notOurs, otherFile);
        }
    }

    @Test
    void aSaveRemovesTheStaleTemporaryFilesOfACrashedOne() throws Exception {
        Path file = dir.resolve("lvs.cf");
        Files.write(file, Fixtures.bytes("direct-two-servers-monitor-links.cf"));
        Path crashed = Files.writeString(dir.resolve(".lvs.cf.4214124214.tmp"), "half a file");
        Files.setLastModifiedTime(crashed, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofMinutes(5))));
        LvsCfFiles.write(file, LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY), true);
        try (var s = Files.list(dir)) {
            assertThat(s.toList()).containsExactly(file);
        }
    }

    @Test
    void aCharacterTheFilesEncodingCannotHoldIsRefusedNotReplaced() throws Exception {
        byte[] latin1 = "# caf\u00e9\nserial_no = 1\nvirtual web {\n expect = \"HTTP\"\n}\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = dir.resolve("lvs.cf");
        Files.write(file, latin1);
        LvsCfDocument doc = LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY);
        assertThatThrownBy(() -> doc.withVirtual(0, "expect", "\u20acuro \u2713 \u65e5\u672c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expect: '\u20ac' cannot be stored: this lvs.cf is not UTF-8 (line 1 has a byte that is not), so it"
                        + " is kept as ISO-8859-1, which has no '\u20ac'. Convert the file to UTF-8 (iconv -f ISO-8859-1 -t UTF-8)"
                        + " to use such characters");
        assertThatThrownBy(() -> doc.renameVirtual(0, "\u65e5\u672c")).hasMessageStartingWith("name: '\u65e5' cannot be stored");
        assertThat(Files.readAllBytes(file)).isEqualTo(latin1);

        // What ISO-8859-1 holds is written as ISO-8859-1; a UTF-8 file takes anything.
        LvsCfFiles.write(file, doc.withVirtual(0, "expect", "d\u00e9j\u00e0"));
        assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("expect = \"d\u00e9j\u00e0\"");
        Files.writeString(file, "# caf\u00e9\nserial_no = 1\nvirtual web {\n expect = \"HTTP\"\n}\n");
        LvsCfFiles.write(file, LvsCfFiles.read(file, HostResolver.NUMERIC_ONLY).withVirtual(0, "expect", "\u20acuro \u2713 \u65e5\u672c"));
        assertThat(Files.readString(file)).contains("expect = \"\u20acuro \u2713 \u65e5\u672c\"");
    }

    /** Found by MutationFuzzProperties: the edit replaced the only byte that was not UTF-8. */
    @Test
    void anEditThatLeavesTheFileUtf8GivesTheDocumentItsBytesSay() {
        byte[] utf8 = "# \u96c6\u7fa4\nserial_no = 1\nvirtual web {\n expect = \"HTTP\"\n}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] stray = new String(utf8, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("\"HTTP\"", "\"HTTP\u00ff\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", stray, HostResolver.NUMERIC_ONLY);
        assertThat(doc.text()).doesNotContain("\u96c6"); // read as ISO-8859-1: one byte is not UTF-8

        LvsCfDocument edited = doc.withVirtual(0, "expect", "HTTP");
        assertThat(edited.bytes()).isEqualTo(utf8);
        assertThat(edited.text()).startsWith("# \u96c6\u7fa4\n")
                .isEqualTo(LvsCfDocument.parse("lvs.cf", edited.bytes(), HostResolver.NUMERIC_ONLY).text());
    }

    @Test
    void anUnpairedSurrogateIsRefused() {
        LvsCfDocument doc = LvsCfDocument.parse("lvs.cf", "serial_no = 1\nvirtual web {\n}\n", HostResolver.NUMERIC_ONLY);
        assertThatThrownBy(() -> doc.withVirtual(0, "expect", "a\ud800b"))
                .hasMessage("expect: a value cannot contain an unpaired surrogate (U+D800)");
    }
}
