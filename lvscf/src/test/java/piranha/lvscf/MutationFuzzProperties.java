package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random byte mutations of the real-world files: the reader always answers with a model or
 * with located errors, never with any other exception, and still writes the input back as it was.
 * 100,000 cases run in the ordinary test suite (about 10 s).
 */
class MutationFuzzProperties {
    private static final byte[] INTERESTING = "{}\"'#= \t\r\n0x9.:-\\".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    private static final List<byte[]> CORPUS = Fixtures.all().stream()
            .map(Path::getFileName).map(Path::toString).map(Fixtures::bytes).toList();

    @Property(tries = 100_000)
    void mutatedFilesGiveAModelOrLocatedErrors(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] input = mutate(CORPUS.get(r.nextInt(CORPUS.size())), r);
        LvsCfDocument doc = LvsCfDocument.parse("fuzz.cf", input, HostResolver.NUMERIC_ONLY);
        int lines = doc.syntax().lines().size();
        for (Diagnostic d : doc.diagnostics()) {
            assertThat(d.line()).isBetween(1, Math.max(1, lines));
            assertThat(d.column()).isPositive();
            assertThat(d.message()).isNotBlank();
        }
        assertThat(doc.config()).isNotNull();
        assertThat(doc.bytes()).isEqualTo(input);
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
}
