package piranha.pulse.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.lvscf.Diagnostic;
import piranha.lvscf.LvsCfFiles;
import piranha.pulse.fos.FailoverService;

/**
 * service = fos: what the lvs.cf check (lvsd --check, the GUI) accepts, pulse runs; what pulse refuses,
 * the check reports as an error at its line.
 */
class FosConfigAgreementTest {
    @TempDir
    Path dir;

    static final String HEAD = "primary = 198.51.100.11\nservice = fos\nbackup_active = 1\nbackup = 198.51.100.12\n";
    static final String WEB = "failover web {\n active = 1\n address = 198.51.100.100 eth0:1\n port = 80\n"
            + " send = \"GET / HTTP/1.0\\r\\n\\r\\n\"\n expect = \"HTTP\"\n timeout = 2\n"
            + " start_cmd = \"/usr/sbin/nginx -c /etc/nginx/nginx.conf\"\n stop_cmd = \"/usr/sbin/nginx -s stop\"\n}\n";

    Path file(String text) throws Exception {
        Path p = dir.resolve("lvs.cf");
        Files.writeString(p, text);
        return p;
    }

    List<String> errors(Path p) throws Exception {
        return LvsCfFiles.read(p).errors().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void whatTheCheckAcceptsPulseRuns() throws Exception {
        Path p = file(HEAD + WEB + "failover ftp {\n active = 0\n address = 198.51.100.101 eth0:2\n port = 21\n}\n");
        assertThat(errors(p)).isEmpty();
        PulseConfig cfg = new LvsCfSource().load(p);
        assertThat(cfg.fos()).isTrue();
        assertThat(cfg.failovers()).hasSize(1);
        FailoverService web = cfg.failovers().get(0);
        assertThat(web.name()).isEqualTo("web");
        assertThat(web.endpoint()).isEqualTo("198.51.100.100:80");
        assertThat(web.timeout()).isEqualTo(2);
        assertThat(web.fall()).isEqualTo(1);
        assertThat(web.startCmd()).containsExactly("/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf");
        assertThat(web.stopCmd()).containsExactly("/usr/sbin/nginx", "-s", "stop");
        assertThat(cfg.vips()).extracting(PulseConfig.HostAddress::device).containsExactly("eth0:1");
        assertThat(cfg.natRouter()).isNull();
    }

    @Test
    void noActiveFailoverServiceIsAnErrorAtTheServiceLineAndPulseRefusesIt() throws Exception {
        Path p = file(HEAD + WEB.replace("active = 1", "active = 0"));
        assertThat(errors(p)).containsExactly("lvs.cf:2:11: error: service = fos but no active failover services"
                .replace("lvs.cf", p.toString()) + " defined: pulse has nothing to run");
        assertThatThrownBy(() -> new LvsCfSource().load(p)).isInstanceOf(PulseConfigSource.ConfigException.class);
    }

    @Test
    void anActiveFailoverWithoutAddressIsAnErrorAtItsBlock() throws Exception {
        Path p = file(HEAD + WEB.replace(" address = 198.51.100.100 eth0:1\n", ""));
        assertThat(errors(p)).anySatisfy(e -> assertThat(e).startsWith(p + ":5:")
                .contains("failover 'web' is active but has no address"));
        assertThatThrownBy(() -> new LvsCfSource().load(p)).isInstanceOf(PulseConfigSource.ConfigException.class);
    }

    @Test
    void aRelativeStartCmdIsAnErrorAtItsKey() throws Exception {
        Path p = file(HEAD + WEB.replace("\"/usr/sbin/nginx -c", "\"nginx -c"));
        assertThat(errors(p)).anySatisfy(e -> assertThat(e).startsWith(p + ":12:")
                .contains("start_cmd must start with an absolute path"));
        assertThatThrownBy(() -> new LvsCfSource().load(p)).isInstanceOf(PulseConfigSource.ConfigException.class);
    }

    static final String LVS = "primary = 198.51.100.11\nbackup_active = 1\nbackup = 198.51.100.12\nvirtual web {\n active = 1\n"
            + " address = 198.51.100.100 eth0:1\n server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n";

    @Test
    void trackBlocksTheCheckAcceptsPulseRuns() throws Exception {
        Path p = file(LVS + "track haproxy {\n process = haproxy\n interval = 1\n fall = 2\n}\n"
                + "track api {\n http = http://127.0.0.1:8080/health\n}\n");
        assertThat(errors(p)).isEmpty();
        PulseConfig cfg = new LvsCfSource().load(p);
        assertThat(cfg.fos()).isFalse();
        assertThat(cfg.tracks()).containsExactly(
                new piranha.pulse.fos.TrackedCheck("haproxy", piranha.pulse.fos.TrackedCheck.Probe.PROCESS, "haproxy", 1, 1, 2, 1),
                new piranha.pulse.fos.TrackedCheck("api", piranha.pulse.fos.TrackedCheck.Probe.HTTP,
                        "http://127.0.0.1:8080/health", 2, 2, 1, 1));
    }

    @Test
    void aTrackBlockPulseCouldNotRunIsAnErrorAtItsLineAndPulseRefusesIt() throws Exception {
        Path p = file(LVS + "track nothing {\n interval = 1\n}\n");
        assertThat(errors(p)).containsExactly(p + ":12:1: error: track 'nothing' checks nothing: set one of command,"
                + " process, tcp or http");
        assertThatThrownBy(() -> new LvsCfSource().load(p)).isInstanceOf(PulseConfigSource.ConfigException.class)
                .hasMessageContaining("track 'nothing' checks nothing");
        Path two = file(LVS + "track t {\n tcp = 127.0.0.1:80\n process = haproxy\n}\n");
        assertThat(errors(two)).anySatisfy(e -> assertThat(e).startsWith(two + ":14:"));
        assertThatThrownBy(() -> new LvsCfSource().load(two)).isInstanceOf(PulseConfigSource.ConfigException.class);
    }
}
