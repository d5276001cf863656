package piranha.lvscf;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import piranha.lvscf.model.Backend;
import piranha.lvscf.model.VirtualService;

/** The configuration the package installs and the demo runs is clean and means what it says. */
class ShippedConfigTest {

    @Test
    void theDefaultConfigurationHasNoErrorOrWarning() throws Exception {
        LvsCfDocument doc = LvsCfFiles.read(Path.of("../etc/sysconfig/ha/lvs.cf"), HostResolver.NUMERIC_ONLY);
        assertThat(doc.diagnostics()).isEmpty();
        assertThat(doc.config().globals().backupActive()).isFalse();
        assertThat(doc.config().globals().backend()).isEqualTo(Backend.USERSPACE);
        VirtualService demo = doc.config().activeVirtuals().get(0);
        assertThat(demo.address().get().address().isLoopbackAddress()).isTrue();
        assertThat(demo.activeServers()).extracting(s -> s.endpoint()).containsExactly("127.0.0.1:8081", "127.0.0.1:8082");
    }
}
