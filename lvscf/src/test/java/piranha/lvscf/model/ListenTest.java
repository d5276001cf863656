package piranha.lvscf.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import piranha.lvscf.LvsCfDocument;

/** pulse_metrics / lvsd_metrics values: off, a loopback port, an address and port; bad ones located. */
class ListenTest {
    @Test
    void formsAreRead() {
        assertThat(Listen.parse("off").off()).isTrue();
        assertThat(Listen.parse("9600")).isEqualTo(new Listen("127.0.0.1", 9600));
        assertThat(Listen.parse("0.0.0.0:9539")).isEqualTo(new Listen("0.0.0.0", 9539));
        assertThat(Listen.parse("[::1]:9540")).isEqualTo(new Listen("::1", 9540));
        assertThat(Listen.parse("[::1]:9540").toString()).isEqualTo("[::1]:9540");
        assertThatThrownBy(() -> Listen.parse("70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> Listen.parse("300.1.1.1:80")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> Listen.parse("on")).hasMessageContaining("is not off, PORT");
    }

    @Test
    void theKeysHaveDefaultsAndRefuseBadValuesAtTheirLine() {
        LvsCfDocument plain = LvsCfDocument.parse("lvs.cf", "primary = 198.51.100.1\n");
        assertThat(plain.config().globals().pulseMetrics()).isEqualTo(new Listen("127.0.0.1", 9539));
        assertThat(plain.config().globals().lvsdMetrics()).isEqualTo(new Listen("127.0.0.1", 9540));
        assertThat(plain.config().globals().drainTimeout()).hasSeconds(30);
        LvsCfDocument set = LvsCfDocument.parse("lvs.cf", "primary = 198.51.100.1\npulse_metrics = off\nlvsd_metrics = 9541\ndrain_timeout = 5\n");
        assertThat(set.config().globals().pulseMetrics().off()).isTrue();
        assertThat(set.config().globals().lvsdMetrics()).isEqualTo(new Listen("127.0.0.1", 9541));
        assertThat(set.config().globals().drainTimeout()).hasSeconds(5);
        LvsCfDocument bad = LvsCfDocument.parse("lvs.cf", "primary = 198.51.100.1\nlvsd_metrics = everywhere\n");
        assertThat(bad.errors()).anySatisfy(d -> assertThat(d.toString()).contains("lvs.cf:2").contains("everywhere"));
    }
}
