package piranha.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** script_user as the programs see it: their uid, groups and pid. */
class ScriptUserTest {
    private static String run(List<String> argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static boolean root() throws Exception {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    @Test
    void theDaemonsOwnUserRunsProgramsAsTheyAre() throws Exception {
        assertThat(ScriptUser.of(null)).isSameAs(ScriptUser.DAEMON);
        assertThat(ScriptUser.DAEMON.command(List.of("/bin/true", "x"))).containsExactly("/bin/true", "x");
        assertThat(ScriptUser.of("root").command(List.of("/bin/true"))).containsExactly("/bin/true");
    }

    @Test
    void anUnknownUserIsNamed() {
        assertThatThrownBy(() -> ScriptUser.of("no-such-user-here")).hasMessage("script_user: no user 'no-such-user-here' on this host");
    }

    @Test
    void aRootDaemonRunsThemAsTheUserWithItsGroupsAndNoCapabilities() throws Exception {
        assumeTrue(root(), "needs root: only root can change user");
        ScriptUser nobody = ScriptUser.of("nobody");
        assertThat(run(nobody.command(List.of("id", "-un")))).isEqualTo("nobody");
        assertThat(run(nobody.command(List.of("id", "-G")))).isEqualTo(run(List.of("id", "-G", "nobody")));
        assertThat(run(nobody.command(List.of("grep", "^CapEff", "/proc/self/status")))).endsWith("0000000000000000");
        // setpriv execs the program: the pid the daemon holds is the program's, so a kill at its deadline reaches it.
        Process p = new ProcessBuilder(nobody.command(List.of("sleep", "30"))).start();
        try {
            Thread.sleep(500);
            assertThat(p.info().command()).hasValueSatisfying(c -> assertThat(c).endsWith("sleep"));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
