package piranha.daemon.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs of the machine (a program, root): skipped where it is missing, unless the
 * system property {@value #PROPERTY} is true (CI sets it: .ci/run), where a missing tool fails the
 * test and names the Debian package that brings it. A suite that passes in CI has run every test.
 */
public final class RequiredTools {
    public static final String PROPERTY = "piranha.tests.require-tools";

    private RequiredTools() {}

    /** True when missing tools are failures here (CI), not reasons to skip. */
    public static boolean strict() {
        return Boolean.getBoolean(PROPERTY);
    }

    /**
     * The first executable of {@code paths}; otherwise skips the test (fails it when strict).
     *
     * @param debianPackage the package that installs it, for the message
     */
    public static Path program(String debianPackage, String... paths) {
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        missing(String.join(" or ", paths) + " is missing: apt-get install " + debianPackage);
        return null; // not reached
    }

    /** The test needs root (network namespaces, addresses, raw sockets). */
    public static void root(String why) {
        if (!"root".equals(System.getProperty("user.name"))) {
            missing("needs root: " + why);
        }
    }

    /** Skips, or fails when strict, with this message. */
    public static void missing(String message) {
        if (strict()) {
            fail(message + " (" + PROPERTY + "=true: missing tools fail the build)");
        }
        Assumptions.abort(message);
    }
}
