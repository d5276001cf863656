package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.daemon.ProcessRunner;

/** The BIRD configuration pulse writes: what it announces, and that BIRD itself accepts it (bird -p). */
class BirdConfigTest {
    @TempDir
    Path dir;

    static Inet4Address a(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    ActiveActiveConfig cfg() throws Exception {
        return new ActiveActiveConfig(List.of(new ActiveActiveConfig.Vip(a("203.0.113.200"), List.of("web")),
                new ActiveActiveConfig.Vip(a("203.0.113.201"), List.of("dns"))), Duration.ofSeconds(1), 4_200_000_001L, 64512,
                List.of(a("198.51.100.1"), a("198.51.100.2")), a("198.51.100.11"), 9, "lo",
                dir.resolve("bird.conf"), dir.resolve("bird.ctl"), false,
                Duration.ofSeconds(30), piranha.lvscf.model.Listen.OFF, List.of(), null, 539, Duration.ofSeconds(3), null);
    }

    @Test
    void announcedVipsAreStaticRoutesExportedToEachNeighbour() throws Exception {
        String text = BirdConfig.render(cfg(), List.of(a("203.0.113.200")));
        assertThat(text).contains("router id 198.51.100.11;", "route 203.0.113.200/32 blackhole;",
                "protocol bgp piranha_1 {", "neighbor 198.51.100.1 as 64512;", "protocol bgp piranha_2 {",
                "neighbor 198.51.100.2 as 64512;", "local as 4200000001;", "hold time 9;", "keepalive time 3;",
                "export where proto = \"piranha_vips\";", "next hop self;", "import none;")
                .doesNotContain("203.0.113.201").doesNotContain("protocol kernel");
        assertThat(BirdConfig.render(cfg(), List.of())).doesNotContain("route ");
    }

    @Test
    void birdAcceptsWhatPulseWrites() throws Exception {
        String bird = Bird.program("bird");
        assumeTrue(Files.isExecutable(Path.of(bird)), "BIRD 2 (Debian bird2) is not installed");
        for (List<Inet4Address> announced : List.of(List.<Inet4Address>of(), List.of(a("203.0.113.200"), a("203.0.113.201")))) {
            Path conf = dir.resolve("check.conf");
            Files.writeString(conf, BirdConfig.render(cfg(), announced));
            ProcessRunner.Result r = ProcessRunner.shared().runAndWait(ProcessRunner.Spec.of(
                    List.of(bird, "-p", "-c", conf.toString()), Duration.ofSeconds(20)).withStderr(ProcessRunner.Stderr.MERGE));
            assertThat(r.exitCode()).as(r.stdoutText()).isZero();
        }
    }
}
