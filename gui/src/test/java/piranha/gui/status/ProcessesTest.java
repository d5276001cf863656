package piranha.gui.status;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessesTest {
    @Test
    void javaProcessesAreNamedByTheirCommand() {
        assertThat(Processes.name("/usr/lib/jvm/java-17/bin/java",
                "/usr/lib/jvm/java-17/bin/java -Xmx48m -cp /x/pulse.jar:/x/lib/* piranha.pulse.PulseMain -n -c lvs.cf", "1 (java) S"))
                .isEqualTo("pulse");
        assertThat(Processes.name("/usr/bin/java", "java -cp a.jar piranha.lvsd.LvsdMain --nofork", "1 (java) S")).isEqualTo("lvsd");
        assertThat(Processes.name("/usr/bin/java", "java -cp a.jar piranha.gui.GuiMain -n", "1 (java) S")).isEqualTo("piranha-gui");
        assertThat(Processes.name("/usr/sbin/ip", "/usr/sbin/ip addr add", "1 (ip) R")).isEqualTo("ip");
        assertThat(Processes.name("", "", "1 (kworker/0:1) I")).isEqualTo("kworker/0:1");
    }

    @Test
    void statesInWords() {
        assertThat(Processes.state("12 (java) S 1 2 3")).isEqualTo("sleeping");
        assertThat(Processes.state("12 (a (b) c) R 1")).isEqualTo("running");
        assertThat(Processes.state("12 (x) Z 1")).isEqualTo("zombie");
    }
}
