package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI never passes without a tool a test needs: {@code .ci/run} fails naming the Debian package.
 * Checked without uninstalling anything: {@code --check-tools} searches CI_TOOL_PATH, here a
 * directory of stand-ins for every program but one.
 */
class CiToolsTest {
    @TempDir
    Path bin;

    /** PACKAGE:PROGRAM pairs of .ci/run's tools=(...) list. */
    static List<String[]> tools() throws Exception {
        String script = Files.readString(Checkout.ROOT.resolve(".ci/run"));
        Matcher list = Pattern.compile("(?s)\\ntools=\\((.*?)\\)").matcher(script);
        assertThat(list.find()).as("tools=(...) in .ci/run").isTrue();
        List<String[]> tools = new ArrayList<>();
        Matcher m = Pattern.compile("([\\w.+-]+):([\\w.+-]+)").matcher(list.group(1));
        while (m.find()) {
            tools.add(new String[] {m.group(1), m.group(2)});
        }
        return tools;
    }

    Command.Result checkWithout(String missingPackage) throws Exception {
        for (String[] t : tools()) {
            if (!t[0].equals(missingPackage)) {
                Path p = bin.resolve(t[1]);
                Files.writeString(p, "#!/bin/sh\n");
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        return Command.run(List.of(Checkout.ROOT.resolve(".ci/run").toString(), "--check-tools"),
                Map.of("CI_TOOL_PATH", bin.toString()), Duration.ofSeconds(60));
    }

    @Test
    void theListHasWhatTheTestsNeed() throws Exception {
        assertThat(tools()).extracting(t -> t[0]).contains("chromium", "chromium-driver", "nftables", "iproute2", "curl", "nginx", "haproxy", "bird2", "python3", "iputils-ping");
    }

    @Test
    void withoutChromiumItFailsNamingThePackage() throws Exception {
        Command.Result r = checkWithout("chromium");
        assertThat(r.status()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).isEqualTo(".ci/run: missing Debian package chromium (the tests need it)\n"
                + ".ci/run: install them with: apt-get install chromium\n");
    }

    @Test
    void withoutNftablesItFailsNamingThePackage() throws Exception {
        Command.Result r = checkWithout("nftables");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("missing Debian package nftables");
    }

    @Test
    void withEverythingThereItPasses() throws Exception {
        Command.Result r = checkWithout("none-missing");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).contains("every tool the tests need is there");
    }
}
