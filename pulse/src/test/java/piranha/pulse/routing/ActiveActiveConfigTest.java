package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.config.PulseConfigSource.ConfigException;

/** What pulse reads from an lvs.cf with director_mode = active_active, and what it refuses. */
class ActiveActiveConfigTest {
    @TempDir
    Path dir;

    static final String GLOBALS = "director_mode = active_active\nbgp_local_as = 64513\nbgp_peer_as = 64512\n"
            + "bgp_neighbor = [ 198.51.100.1 198.51.100.2 ]\nbgp_router_id = 198.51.100.11\nkeepalive = 0.5\n"
            + "monitor_links = 1\n";

    static String virtual(String name, String vip, int port) {
        return "virtual " + name + " {\n active = 1\n address = " + vip + " lo\n port = " + port + "\n scheduler = sh\n"
                + " server a {\n  address = 198.51.100.21\n  active = 1\n }\n}\n";
    }

    Path write(String text) throws Exception {
        Path cf = dir.resolve("lvs.cf");
        Files.writeString(cf, text);
        return cf;
    }

    @Test
    void vipsAreGroupedWithTheirServicesAndTheBgpKeysRead() throws Exception {
        Path cf = write(GLOBALS + virtual("web", "203.0.113.200", 80) + virtual("tls", "203.0.113.200", 443)
                + virtual("dns", "203.0.113.201", 53));
        assertThat(ActiveActiveConfig.requested(cf)).isTrue();
        ActiveActiveConfig c = ActiveActiveConfig.load(cf);
        assertThat(c.vips()).extracting(ActiveActiveConfig.Vip::text).containsExactly("203.0.113.200", "203.0.113.201");
        assertThat(c.vips().get(0).services()).containsExactly("web", "tls");
        assertThat(c.neighbors()).extracting(a -> a.getHostAddress()).containsExactly("198.51.100.1", "198.51.100.2");
        assertThat(c.routerId().getHostAddress()).isEqualTo("198.51.100.11");
        assertThat(c.keepalive()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.localAs()).isEqualTo(64513);
        assertThat(c.peerAs()).isEqualTo(64512);
        assertThat(c.holdTime()).isEqualTo(3);
        assertThat(c.device()).isEqualTo("lo");
        assertThat(c.monitorLinks()).isTrue();
        assertThat(c.birdSocket()).isEqualTo(Path.of("/run/piranha/bird.ctl"));
    }

    @Test
    void aPairOrABrokenFileIsNotActiveActive() throws Exception {
        assertThat(ActiveActiveConfig.requested(write("primary = 198.51.100.11\n" + virtual("web", "203.0.113.200", 80)))).isFalse();
        assertThat(ActiveActiveConfig.requested(write(GLOBALS + "bgp_hold_time = 1\n"))).isFalse();
        assertThat(ActiveActiveConfig.requested(dir.resolve("missing.cf"))).isFalse();
    }

    @Test
    void errorsNameTheFileAndLine() throws Exception {
        Path cf = write("director_mode = active_active\n" + virtual("web", "203.0.113.200", 80));
        assertThatThrownBy(() -> ActiveActiveConfig.load(cf)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(cf + ":1:17: error: director_mode = active_active needs bgp_local_as");
        Path v6 = write(GLOBALS + virtual("web", "2001:db8::10", 80).replace("198.51.100.21", "2001:db8::21"));
        assertThatThrownBy(() -> ActiveActiveConfig.load(v6)).isInstanceOf(ConfigException.class)
                .hasMessage(v6 + ":8: virtual web: 2001:db8::10 is IPv6: active-active directors announce IPv4 VIPs only");
        Path none = write(GLOBALS);
        assertThatThrownBy(() -> ActiveActiveConfig.load(none)).hasMessage(none + ": no active lvs services defined");
    }
}
