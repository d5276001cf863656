package piranha.lvsd;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import piranha.lvscf.LvsCfFiles;

/**
 * {@code lvsd --check} without picocli: which command lines take the short way, and that a real
 * lvsd process answers them exactly as through picocli (the same output, errors and status).
 */
class QuickCheckTest {
    @TempDir
    Path dir;

    static QuickCheck of(String... args) {
        return QuickCheck.of(args);
    }

    @Test
    void thePlainFormsOfACheck() {
        assertThat(of("--check")).isEqualTo(new QuickCheck(LvsCfFiles.DEFAULT, false));
        assertThat(of("--check", "-c", "/x/lvs.cf")).isEqualTo(new QuickCheck(Path.of("/x/lvs.cf"), false));
        assertThat(of("-c", "/x/lvs.cf", "--dump", "--check")).isEqualTo(new QuickCheck(Path.of("/x/lvs.cf"), true));
        assertThat(of("--configfile", "a.cf", "--check")).isEqualTo(new QuickCheck(Path.of("a.cf"), false));
        assertThat(of("--check", "--configfile=a.cf")).isEqualTo(new QuickCheck(Path.of("a.cf"), false));
    }

    @Test
    void everythingElseIsPicoclisToRead() {
        assertThat(of()).isNull();                                    // the daemon
        assertThat(of("-c", "a.cf")).isNull();                        // no --check
        assertThat(of("--dump")).isNull();                            // picocli says --dump goes with --check
        assertThat(of("--check", "--help")).isNull();
        assertThat(of("--check", "-v")).isNull();
        assertThat(of("--check", "--check")).isNull();
        assertThat(of("--check", "-c", "a.cf", "-c", "b.cf")).isNull();
        assertThat(of("--check", "-c")).isNull();                     // a missing value
        assertThat(of("--check", "-c", "--dump")).isNull();           // an option where the value should be
        assertThat(of("--check", "--configfile=")).isNull();
        assertThat(of("--check", "-ca.cf")).isNull();
    }

    record Run(int status, String out, String err) {}

    Run lvsd(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "piranha.lvsd.LvsdMain"));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out");
        Path err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    /** The same check through picocli: -t (test start) is one of its options, and a check ignores it. */
    Run throughPicocli(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("-t");
        return lvsd(a.toArray(String[]::new));
    }

    @Test
    void aRealLvsdAnswersTheShortWayAsItDoesThroughPicocli() throws Exception {
        Path good = Files.writeString(dir.resolve("good.cf"), "heartbeat = 1\nvirtual web {\n active = 1\n"
                + " address = 198.51.100.10 eth0:1\n server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n");
        Path bad = Files.writeString(dir.resolve("bad.cf"), "keepalive = 5s\nvirtual web {\n weight = 1\n}\n");
        String missing = dir.resolve("missing.cf").toString();
        for (String[] args : new String[][] {{"--check", "-c", good.toString()}, {"-c", good.toString(), "--check", "--dump"},
                {"--check", "--configfile=" + bad}, {"--check", "-c", missing}}) {
            Run quick = lvsd(args);
            Run slow = throughPicocli(args);
            assertThat(quick).as(String.join(" ", args)).isEqualTo(slow);
        }
        assertThat(lvsd("--check", "-c", good.toString()).status()).isZero();
        assertThat(lvsd("--check", "-c", bad.toString()).status()).isEqualTo(1);
        assertThat(lvsd("--check", "-c", missing).status()).isEqualTo(2);
    }
}
