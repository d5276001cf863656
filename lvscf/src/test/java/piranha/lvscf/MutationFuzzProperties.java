package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random byte mutations of the real-world files: the reader always answers with a model or
 * with located errors, never with any other exception, and still writes the input back as it was.
 * 100,000 cases run in the ordinary test suite (about 10 s). Then the hostile shapes: runs of
 * thousands of nested blocks, bytes that are not UTF-8 with edits in characters the file's
 * encoding may not hold, files over the size limit and files that are not regular files (a few
 * thousand cases, a few seconds; each special file must be answered within seconds).
 */
class MutationFuzzProperties {
    private static final byte[] INTERESTING = "{}\"'#= \t\r\n0x9.:-\\".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final List<byte[]> CORPUS = Fixtures.all().stream()
            .map(Path::getFileName).map(Path::toString).map(Fixtures::bytes).toList();

    @Property(tries = 100_000)
    void mutatedFilesGiveAModelOrLocatedErrors(@ForAll long seed) {
        Random r = new Random(seed);
        mutatedFilesGiveAModelOrLocatedErrors(mutate(CORPUS.get(r.nextInt(CORPUS.size())), r));
    }

    private static LvsCfDocument mutatedFilesGiveAModelOrLocatedErrors(byte[] input) {
        LvsCfDocument doc = LvsCfDocument.parse("fuzz.cf", input, HostResolver.NUMERIC_ONLY);
        int lines = doc.syntax().lines().size();
        for (Diagnostic d : doc.diagnostics()) {
            assertThat(d.line()).isBetween(1, Math.max(1, lines));
            assertThat(d.column()).isPositive();
            assertThat(d.message()).isNotBlank();
        }
        assertThat(doc.config()).isNotNull();
        assertThat(doc.bytes()).isEqualTo(input);
        return doc;
    }

    static byte[] mutate(byte[] original, Random r) {
        byte[] b = original.clone();
        for (int n = 1 + r.nextInt(8); n > 0 && b.length > 0; n--) {
            int at = r.nextInt(b.length);
            switch (r.nextInt(5)) {
                case 0 -> b[at] = (byte) r.nextInt(256);
                case 1 -> b[at] = INTERESTING[r.nextInt(INTERESTING.length)];
                case 2 -> b = splice(b, at, 1, new byte[0]);
                case 3 -> b = splice(b, at, 0, new byte[] {INTERESTING[r.nextInt(INTERESTING.length)]});
                default -> {
                    int len = Math.min(b.length - at, 1 + r.nextInt(40));
                    int to = r.nextInt(b.length);
                    byte[] chunk = java.util.Arrays.copyOfRange(b, at, at + len);
                    b = splice(b, to, 0, chunk);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, at);
        out.write(insert, 0, insert.length);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }

    @Property(tries = 300)
    void deepNestingAnywhereGivesLocatedErrors(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] original = CORPUS.get(r.nextInt(CORPUS.size()));
        int depth = 1 + r.nextInt(r.nextBoolean() ? 20 : 20_000);
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            run.append(r.nextBoolean() ? "virtual v" + i + " {" : r.nextBoolean() ? "server s {" : "failover f {")
                    .append(r.nextInt(4) == 0 ? "\r\n" : "\n");
            if (r.nextInt(8) == 0) {
                run.append("}\n");
            }
        }
        byte[] input = splice(original, lineStart(original, r), 0, run.toString().getBytes(StandardCharsets.ISO_8859_1));
        input = r.nextBoolean() ? mutate(input, r) : input;
        mutatedFilesGiveAModelOrLocatedErrors(input);
    }

    @Property(tries = 2_000)
    void bytesThatAreNotUtf8AreKeptAndEditsNeverLoseACharacter(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] input = CORPUS.get(r.nextInt(CORPUS.size())).clone();
        for (int n = r.nextInt(3); n > 0; n--) {
            byte[] bad = {(byte) (0x80 + r.nextInt(128)), (byte) r.nextInt(256)};
            input = splice(input, r.nextInt(input.length + 1), 0, bad);
        }
        LvsCfDocument doc = mutatedFilesGiveAModelOrLocatedErrors(input);
        if (doc.config().virtuals().isEmpty()) {
            return;
        }
        String value = VALUES[r.nextInt(VALUES.length)];
        LvsCfDocument edited;
        try {
            edited = doc.withVirtual(r.nextInt(doc.config().virtuals().size()), "expect", value);
        } catch (IllegalArgumentException refused) {
            assertThat(refused.getMessage()).startsWith("expect: ");
            return;
        }
        // Whatever was accepted comes back exactly from the bytes that would be written.
        LvsCfDocument back = LvsCfDocument.parse("fuzz.cf", edited.bytes(), HostResolver.NUMERIC_ONLY);
        assertThat(back.text()).isEqualTo(edited.text());
    }

    private static final String[] VALUES = {"HTTP", "caf\u00e9", "\u20acuro \u2713 \u65e5\u672c", "\ud83d\ude00", "\u00ff\u0100"};

    @Property(tries = 200)
    void filesOverTheLimitAndSpecialFilesAreRefusedPromptly(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("lvscf-fuzz");
        try {
            Path file = dir.resolve("lvs.cf");
            switch (r.nextInt(4)) {
                case 0 -> {
                    Files.write(file, mutate(CORPUS.get(r.nextInt(CORPUS.size())), r));
                    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
                        f.setLength(LvsCfFiles.MAX_BYTES + 1 + r.nextInt(1 << 20)); // sparse
                    }
                }
                case 1 -> Files.createSymbolicLink(file, Path.of(r.nextBoolean() ? "/dev/zero" : "/dev/null"));
                case 2 -> Files.createDirectory(file);
                default -> {
                    Process p = new ProcessBuilder("mkfifo", file.toString()).start();
                    assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0).as("mkfifo").isTrue();
                }
            }
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(() -> LvsCfFiles.read(file))
                    .isInstanceOf(RefusedFileException.class).hasMessageStartingWith(file + ": error: "));
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static int lineStart(byte[] b, Random r) {
        int at = r.nextInt(b.length + 1);
        while (at > 0 && b[at - 1] != '\n') {
            at--;
        }
        return at;
    }
}
