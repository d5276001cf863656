package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every real-world file reads, means the same with CRLF, and writes back byte for byte. */
class FixtureCorpusTest {

    static List<Path> fixtures() {
        return Fixtures.all();
    }

    @Test
    void theCorpusIsComplete() {
        assertThat(fixtures()).hasSize(14);
    }

    @Test
    void theCopyMatchesTheSharedCorpus() throws IOException {
        if (!Files.isDirectory(Fixtures.SHARED)) {
            return; // a checkout without shared/ beside it tests its own copy
        }
        try (var s = Files.list(Fixtures.SHARED)) {
            for (Path p : s.filter(x -> x.toString().endsWith(".cf")).toList()) {
                assertThat(Fixtures.DIR.resolve(p.getFileName())).as(p.getFileName().toString())
                        .hasSameBinaryContentAs(p);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void parsesWithoutSyntaxOrTypeErrors(Path file) {
        LvsCfDocument doc = Fixtures.parse(file.getFileName().toString());
        // The only error the corpus holds is a semantic one: primary = backup (see MeaningTest).
        assertThat(doc.errors()).allSatisfy(d -> assertThat(d.key()).isEqualTo("backup"));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void writesBackByteIdentically(Path file) {
        byte[] original = Fixtures.bytes(file.getFileName().toString());
        assertThat(Fixtures.parse(file.getFileName().toString()).bytes()).isEqualTo(original);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void crlfVariantMeansTheSameAndStaysCrlf(Path file) {
        String name = file.getFileName().toString();
        byte[] crlf = Fixtures.toCrlf(Fixtures.bytes(name));
        LvsCfDocument lf = Fixtures.parse(name);
        LvsCfDocument dos = LvsCfDocument.parse(name, crlf, HostResolver.NUMERIC_ONLY);
        assertThat(dos.config()).isEqualTo(lf.config());
        assertThat(dos.diagnostics()).isEqualTo(lf.diagnostics());
        assertThat(dos.bytes()).isEqualTo(crlf);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void anEditedCrlfFileKeepsCrlfOnEveryLine(Path file) {
        String name = file.getFileName().toString();
        LvsCfDocument dos = LvsCfDocument.parse(name, Fixtures.toCrlf(Fixtures.bytes(name)), HostResolver.NUMERIC_ONLY);
        String edited = dos.bumpSerial().withGlobal("backend", "userspace").text();
        assertThat(edited.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void canonicalFormReadsBackToTheSameModel(Path file) {
        LvsCfDocument doc = Fixtures.parse(file.getFileName().toString());
        String canonical = CanonicalWriter.write(doc.config());
        assertThat(LvsCfDocument.parse("canonical", canonical, HostResolver.NUMERIC_ONLY).config())
                .isEqualTo(doc.config());
    }
}
