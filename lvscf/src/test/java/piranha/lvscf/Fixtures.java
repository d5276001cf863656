package piranha.lvscf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The corpus of real-world lvs.cf files, copied from shared/fixtures/lvs.cf into the test resources. */
final class Fixtures {
    static final Path DIR = Path.of("src/test/resources/fixtures");
    /** The shared corpus beside the checkout, when present; the copy must not drift from it. */
    static final Path SHARED = Path.of("../../shared/fixtures/lvs.cf");

    private Fixtures() {}

    static List<Path> all() {
        try (Stream<Path> s = Files.list(DIR)) {
            return s.filter(p -> p.toString().endsWith(".cf")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(DIR.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static LvsCfDocument parse(String name) {
        return LvsCfDocument.parse(name, bytes(name), HostResolver.NUMERIC_ONLY);
    }

    static byte[] toCrlf(byte[] lf) {
        String s = new String(lf, java.nio.charset.StandardCharsets.ISO_8859_1);
        return s.replace("\n", "\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
