package piranha.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import piranha.daemon.ControlSockets;

/**
 * One default control socket per daemon, the same everywhere an operator reads one: each command's
 * --help, the manual pages, the launchers, the service units and init scripts, the READMEs.
 */
class DefaultSocketsTest {
    static final Pattern SOCKET = Pattern.compile("(?:/var)?/run/[\\w./-]*\\.sock");

    @Test
    void everyFileNamesTheDefaults() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("bin", "rpm/man", "rpm/systemd", "rpm/init.d")) {
            try (Stream<Path> s = Files.list(Checkout.ROOT.resolve(dir))) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        for (String f : List.of("README.md", "rpm/README.md", "rpm/piranha-gui.sysconfig", "pulse/README.md",
                "lvsd/README.md", "gui/README.md", "daemon/README.md")) {
            files.add(Checkout.ROOT.resolve(f));
        }
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            Matcher m = SOCKET.matcher(Files.readString(f));
            while (m.find()) {
                found.add(Checkout.ROOT.relativize(f) + ": " + m.group());
            }
        }
        assertThat(found).isNotEmpty().allSatisfy(line -> assertThat(line)
                .satisfiesAnyOf(l -> assertThat(l).endsWith(": " + ControlSockets.PULSE_DEFAULT),
                        l -> assertThat(l).endsWith(": " + ControlSockets.LVSD_DEFAULT)));
    }

    @Test
    void everyHelpNamesTheDefaults() throws Exception {
        for (var c : Map.of("pulse", List.of(ControlSockets.PULSE_DEFAULT, ControlSockets.LVSD_DEFAULT),
                "lvsd", List.of(ControlSockets.LVSD_DEFAULT),
                "piranha-gui", List.of(ControlSockets.PULSE_DEFAULT, ControlSockets.LVSD_DEFAULT),
                "lvsadm", List.of(ControlSockets.PULSE_DEFAULT, ControlSockets.LVSD_DEFAULT)).entrySet()) {
            Command.Result r = Command.run(List.of(Checkout.bin(c.getKey()).toString(), "--help"), Map.of(), Duration.ofSeconds(60));
            assertThat(r.status()).as(c.getKey() + " --help: " + r).isZero();
            assertThat(r.out()).as(c.getKey() + " --help").contains(c.getValue());
        }
    }
}
