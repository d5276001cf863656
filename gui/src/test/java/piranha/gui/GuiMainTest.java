package piranha.gui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

class GuiMainTest {
    @TempDir
    Path dir;

    GuiSettings parse(String... args) throws Exception {
        GuiMain m = new GuiMain();
        new CommandLine(m).parseArgs(args);
        return m.settings();
    }

    @Test
    void defaultsThenSettingsFileThenCommandLine() throws Exception {
        Path none = dir.resolve("absent");
        GuiSettings d = parse("--settings", none.toString());
        assertThat(d.port()).isEqualTo(3636);
        assertThat(d.bind()).isEqualTo("127.0.0.1");
        assertThat(d.lvsCf()).isEqualTo(Path.of("/etc/sysconfig/ha/lvs.cf"));
        assertThat(d.passwdFile()).isEqualTo(Path.of("/etc/sysconfig/ha/conf/piranha.passwd"));
        assertThat(d.lvsdSocket()).isEqualTo(Path.of("/run/piranha/lvsd.sock"));
        assertThat(d.tls()).isFalse();

        Path settings = dir.resolve("piranha-gui");
        Files.writeString(settings, "# settings\nPORT=4000\nBIND=\"0.0.0.0\"\nLVS_CF=/srv/lvs.cf\nIDLE_TIMEOUT=5\n"
                + "TLS_CERT=/c.pem\nTLS_KEY=/k.pem\nLVSD_SOCKET=/tmp/l.sock\n");
        GuiSettings f = parse("--settings", settings.toString());
        assertThat(f.port()).isEqualTo(4000);
        assertThat(f.bind()).isEqualTo("0.0.0.0");
        assertThat(f.lvsCf()).isEqualTo(Path.of("/srv/lvs.cf"));
        assertThat(f.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(f.tls()).isTrue();
        assertThat(f.lvsdSocket()).isEqualTo(Path.of("/tmp/l.sock"));

        GuiSettings c = parse("--settings", settings.toString(), "--port", "5000", "-c", "/x/lvs.cf", "--bind", "127.0.0.2");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.lvsCf()).isEqualTo(Path.of("/x/lvs.cf"));
        assertThat(c.bind()).isEqualTo("127.0.0.2");
    }

    @Test
    void badSettingsAreNamed() throws Exception {
        Path settings = dir.resolve("piranha-gui");
        Files.writeString(settings, "PORT=http\n");
        assertThatThrownBy(() -> parse("--settings", settings.toString())).hasMessageContaining("PORT=http");
        assertThatThrownBy(() -> parse("--settings", dir.resolve("x").toString(), "--tls-cert", "/c.pem"))
                .hasMessageContaining("--tls-key");
    }

    Process run(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), GuiMain.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    @Test
    void refusesToStartWithoutAPasswordAndSaysHow() throws Exception {
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, "serial_no = 1\n");
        Process p = run("-n", "--settings", dir.resolve("none").toString(), "-c", cf.toString(), "--passwd-file",
                dir.resolve("piranha.passwd").toString(), "--port", "0");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(err).contains("refusing to start without a password").contains("piranha-passwd --file");
    }

    @Test
    void refusesToStartOnWhatNoLvsCfCanBeWithTheReadersLocatedError() throws Exception {
        Path pw = dir.resolve("piranha.passwd");
        new piranha.gui.auth.PasswordFile(pw).set("pw".toCharArray());
        Path deep = dir.resolve("lvs.cf");
        Files.writeString(deep, "serial_no = 1\nprimary = 127.0.0.1\nservice = lvs\n" + "virtual a {\n".repeat(3_000));
        Path fifo = dir.resolve("fifo.cf");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        for (Path cf : List.of(deep, Path.of("/dev/zero"), fifo)) {
            Process p = run("-n", "--settings", dir.resolve("none").toString(), "-c", cf.toString(), "--passwd-file",
                    pw.toString(), "--port", "0");
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(ended).as("piranha-gui -c " + cf + " ended").isTrue();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(err).isEqualTo(1);
            assertThat(err).isEqualTo("piranha-gui: " + (cf == deep
                    ? deep + ":12:1: error: blocks nested more than 8 deep (lvs.cf has two levels: virtual or failover, then server);"
                            + " nothing inside this block is read"
                    : cf + ": error: " + (cf == fifo ? "a FIFO" : "a character device") + ", not a regular file;"
                            + " lvs.cf must be a regular file") + "\n");
        }
    }

    /** The real command: settings file, password, listening, serving the login page, logging. */
    @Test
    void startsFromItsSettingsFileAndServes() throws Exception {
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, "serial_no = 1\nprimary = 127.0.0.1\n");
        // What a save killed before its rename leaves behind; removed at start.
        Path stale = Files.writeString(dir.resolve(".lvs.cf.8734512.tmp"), "serial_no = 2\n");
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));
        Path pw = dir.resolve("piranha.passwd");
        new piranha.gui.auth.PasswordFile(pw).set("pw".toCharArray());
        Path settings = dir.resolve("piranha-gui");
        Files.writeString(settings, "LVS_CF=" + cf + "\nPASSWD_FILE=" + pw + "\nPORT=0\nBIND=127.0.0.1\n");
        Process p = run("-n", "--settings", settings.toString());
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = null;
            for (int i = 0; i < 50; i++) {
                line = out.readLine();
                if (line == null || line.contains("listening on")) {
                    break;
                }
            }
            assertThat(line).startsWith("piranha-gui: piranha-gui listening on http://127.0.0.1:").contains("editing " + cf);
            assertThat(stale).doesNotExist();
            String url = line.substring(line.indexOf("http://"), line.indexOf('/', line.indexOf("http://") + 7) + 1);
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "login")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("PIRANHA CONFIGURATION TOOL").contains("name=\"password\"");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void unknownOptionGivesUsage() throws Exception {
        Process p = run("--frobnicate");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(err).contains("Unknown option").contains("Usage: piranha-gui");
    }
}
