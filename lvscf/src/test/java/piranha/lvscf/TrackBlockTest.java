package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import piranha.lvscf.model.Track;

/** track blocks (extension): how they read, and each mistake reported at its line and key. */
class TrackBlockTest {
    static final String HEAD = "primary = 198.51.100.11\nbackup_active = 1\nbackup = 198.51.100.12\n"
            + "virtual web {\n active = 1\n address = 198.51.100.100 eth0:1\n server a {\n  address = 198.51.100.21\n"
            + "  active = 1\n }\n}\n"; // 11 lines

    static LvsCfDocument read(String tail) {
        return LvsCfDocument.parse("lvs.cf", HEAD + tail, HostResolver.NUMERIC_ONLY);
    }

    static String located(LvsCfDocument doc) {
        return String.join("\n", doc.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void eachProbeKindReadsWithItsTimings() {
        LvsCfDocument doc = read("track haproxy {\n process = haproxy\n interval = 1\n fall = 2\n rise = 3\n}\n"
                + "track health {\n http = http://127.0.0.1:8080/health\n timeout = 1\n}\n"
                + "track port {\n tcp = 127.0.0.1:80\n}\n"
                + "track script {\n command = \"/usr/bin/test -e /run/ready\"\n}\n");
        assertThat(doc.errors()).as(located(doc)).isEmpty();
        List<Track> tracks = doc.config().tracks();
        assertThat(tracks).extracting(Track::name).containsExactly("haproxy", "health", "port", "script");
        Track h = tracks.get(0);
        assertThat(h.probe()).contains("process");
        assertThat(h.value("process")).isEqualTo("haproxy");
        assertThat(h.interval()).isEqualTo(1);
        assertThat(h.timeout()).isEqualTo(1); // interval when unset
        assertThat(h.fall()).isEqualTo(2);
        assertThat(h.rise()).isEqualTo(3);
        Track port = tracks.get(2);
        assertThat(port.interval()).isEqualTo(2);
        assertThat(port.timeout()).isEqualTo(2);
        assertThat(port.fall()).isEqualTo(1);
        assertThat(port.rise()).isEqualTo(1);
        assertThat(tracks.get(3).value("command")).isEqualTo("/usr/bin/test -e /run/ready");
        assertThat(doc.config().virtuals()).hasSize(1);
    }

    @Test
    void mistakesAreLocated() {
        assertThat(located(read("track none {\n interval = 1\n}\n")))
                .contains("lvs.cf:12:1: error: track 'none' checks nothing: set one of command, process, tcp or http");
        assertThat(located(read("track two {\n process = haproxy\n tcp = 127.0.0.1:80\n}\n")))
                .contains("lvs.cf:14:8: error: track 'two': tcp together with process: a track block checks one thing");
        assertThat(located(read("track u {\n http = ftp://127.0.0.1/\n}\n")))
                .contains("lvs.cf:13:9: error: http: 'ftp://127.0.0.1/' is not an http:// or https:// URL");
        assertThat(located(read("track t {\n tcp = 127.0.0.1\n}\n")))
                .contains("lvs.cf:13:8: error: tcp: '127.0.0.1' is not ADDRESS:PORT");
        assertThat(located(read("track t {\n tcp = 127.0.0.1:70000\n}\n")))
                .contains("lvs.cf:13:8: error: tcp: port 70000 of '127.0.0.1:70000' is not 1-65535");
        assertThat(located(read("track c {\n command = test -e /run/ready\n}\n")))
                .contains("lvs.cf:13:17: error: unexpected '-e' after the value of 'command'");
        assertThat(located(read("track c {\n command = \"test -e /run/ready\"\n}\n")))
                .contains("lvs.cf:13:12: error: command: 'test -e /run/ready' is not a program by its absolute path");
        assertThat(located(read("track p {\n process = /usr/sbin/haproxy\n}\n")))
                .contains("lvs.cf:13:12: error: process: '/usr/sbin/haproxy' is not a process name");
        assertThat(located(read("track p {\n process = haproxy\n fall = 0\n}\n")))
                .contains("lvs.cf:14:9: error: fall:");
        assertThat(located(read("track p {\n process = haproxy\n address = 1.2.3.4\n}\n")))
                .contains("lvs.cf:14:2: error: 'address' is not valid inside a track block");
        assertThat(located(read("track p {\n process = haproxy\n server a {\n }\n}\n")))
                .contains("lvs.cf:14:2: error: server block inside a track block: a track block holds keys only");
        assertThat(located(read("track p {\n process = haproxy\n}\ntrack p {\n process = nginx\n}\n")))
                .contains("lvs.cf:15:1: error: track 'p' is declared twice (first at line 12)");
        assertThat(located(read("track p {\n process = haproxy\n interval = 1\n timeout = 3\n}\n")))
                .contains("lvs.cf:15:12: warning: track 'p': timeout (3 s) is longer than interval (1 s)");
        assertThat(located(read("virtual x {\n track = 1\n}\n"))).contains("lvs.cf:13:2: error: unknown key 'track'");
    }

    @Test
    void writtenCanonicallyAndDumpedWithEffectiveValues() {
        LvsCfDocument doc = read("track haproxy {\n process = haproxy\n fall = 2\n}\n");
        String text = CanonicalWriter.write(doc.config());
        assertThat(text).contains("track haproxy {\n     process = haproxy\n     fall = 2\n}\n");
        LvsCfDocument again = LvsCfDocument.parse("lvs.cf", text, HostResolver.NUMERIC_ONLY);
        assertThat(again.config()).isEqualTo(doc.config());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> dumped = (List<Map<String, Object>>) EffectiveConfig.of(doc.config()).get("track");
        assertThat(dumped.get(0)).containsEntry("name", "haproxy").containsEntry("process", "haproxy")
                .containsEntry("interval", 2).containsEntry("timeout", 2).containsEntry("fall", 2).containsEntry("rise", 1);
    }

    @Test
    void aRereadKeepsTheTrackBlocks() {
        LvsCfDocument doc = read("track haproxy {\n process = haproxy\n}\n");
        LvsCfDocument changed = doc.reread(("serial_no = 2\n" + HEAD + "track haproxy {\n process = haproxy\n}\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(changed.config().tracks()).hasSize(1);
        assertThat(changed.config().tracks().get(0).header().line()).isEqualTo(13);
        assertThat(changed.errors()).isEmpty();
    }
}
