package piranha.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import piranha.gui.auth.PasswordFile;

class PasswdMainTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<String> prompts = new ArrayList<>();

    int run(Deque<String> typed, String... args) {
        PasswdMain m = new PasswdMain();
        m.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        m.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        m.prompt = typed == null ? null : label -> {
            prompts.add(label);
            return typed.isEmpty() ? null : typed.pop().toCharArray();
        };
        return new CommandLine(m).execute(args);
    }

    @Test
    void promptsTwiceAndStoresAHashInA0600File() throws Exception {
        Path f = dir.resolve("piranha.passwd");
        assertThat(run(new ArrayDeque<>(List.of("pw1", "pw1")), "--file", f.toString())).isZero();
        assertThat(prompts).containsExactly("New Password: ", "Verify: ");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(new PasswordFile(f).check("pw1".toCharArray())).isEqualTo(PasswordFile.Check.GOOD);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void mismatchChangesNothing() throws Exception {
        Path f = dir.resolve("piranha.passwd");
        assertThat(run(new ArrayDeque<>(List.of("pw1", "pw2")), "--file", f.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("do not match");
        assertThat(f).doesNotExist();
    }

    @Test
    void anArgumentWorksButWarns() throws Exception {
        Path f = dir.resolve("piranha.passwd");
        assertThat(run(null, "--file", f.toString(), "pw3")).isZero();
        assertThat(err.toString()).contains("warning").contains("command line");
        assertThat(new PasswordFile(f).check("pw3".toCharArray())).isEqualTo(PasswordFile.Check.GOOD);
    }

    @Test
    void emptyPasswordRefused() {
        assertThat(run(new ArrayDeque<>(List.of("", "")), "--file", dir.resolve("p").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("cannot be empty");
    }

    /** The real command in a process without a terminal: a clear message, no prompt, no file. */
    @Test
    void withoutATerminalOrArgumentItSaysWhatToDo() throws Exception {
        Path f = dir.resolve("piranha.passwd");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PasswdMain.class.getName(),
                "--file", f.toString()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(stderr).contains("no terminal to prompt on");
        assertThat(f).doesNotExist();
    }

    @Test
    void unknownOptionGivesUsage() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), PasswdMain.class.getName(),
                "--bogus").start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(stderr).contains("Unknown option").contains("Usage: piranha-passwd");
    }
}
