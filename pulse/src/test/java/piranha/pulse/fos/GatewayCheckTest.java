package piranha.pulse.fos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import piranha.pulse.exec.CommandRunner;

/**
 * The gateway check with the real {@code ip} and {@code ping}, run inside a director namespace of the
 * test's own ({@code ip netns exec}), whose only neighbour is a gateway namespace: IPv4 as Piranha
 * did it, and a director with only an IPv6 default route, through a link-local router as router
 * advertisements give it.
 */
class GatewayCheckTest {
    final String tag = Integer.toString(ThreadLocalRandom.current().nextInt(10_000, 99_999));
    final String dir = "gwd" + tag;
    final String gw = "gwg" + tag;
    final CommandRunner host = new CommandRunner(false);
    final List<List<String>> ran = new ArrayList<>();
    /** Runs every command inside the director namespace, and records it. */
    final CommandRunner inDirector = new CommandRunner(false) {
        @Override
        public Result run(List<String> argv, Duration timeout) {
            ran.add(argv);
            List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", dir));
            wrapped.addAll(argv);
            return super.run(wrapped, timeout);
        }
    };

    @BeforeEach
    void lab() {
        sh("ip", "netns", "add", dir);
        sh("ip", "netns", "add", gw);
        sh("ip", "link", "add", "gwa" + tag, "netns", dir, "type", "veth", "peer", "name", "gwb" + tag, "netns", gw);
        for (String ns : List.of(dir, gw)) {
            sh("ip", "-n", ns, "link", "set", "lo", "up");
        }
        sh("ip", "-n", dir, "link", "set", "gwa" + tag, "up");
        sh("ip", "-n", gw, "link", "set", "gwb" + tag, "up");
    }

    @AfterEach
    void cleanUp() {
        host.run(List.of("ip", "netns", "del", dir), Duration.ofSeconds(10));
        host.run(List.of("ip", "netns", "del", gw), Duration.ofSeconds(10));
    }

    void sh(String... argv) {
        CommandRunner.Result r = host.run(List.of(argv), Duration.ofSeconds(10));
        assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.output()).isTrue();
    }

    @Test
    void withoutADefaultRouteTheNetworkCountsAsFineAndNothingIsPinged() {
        assertThat(new GatewayCheck(inDirector).reachable()).isTrue();
        assertThat(ran).allMatch(argv -> argv.get(0).equals("ip"));
    }

    @Test
    void anIpv4GatewayIsPingedAsPiranhaDid() {
        sh("ip", "-n", dir, "addr", "add", "198.51.100.2/24", "dev", "gwa" + tag);
        sh("ip", "-n", gw, "addr", "add", "198.51.100.1/24", "dev", "gwb" + tag);
        sh("ip", "-n", dir, "route", "add", "default", "via", "198.51.100.1");
        assertThat(new GatewayCheck(inDirector).reachable()).isTrue();
        assertThat(ran).contains(List.of("ping", "-n", "-c", "1", "-w", "1", "198.51.100.1"));

        sh("ip", "-n", gw, "link", "set", "gwb" + tag, "down"); // the gateway is gone
        ran.clear();
        assertThat(new GatewayCheck(inDirector).reachable()).isFalse();
        assertThat(ran.stream().filter(argv -> argv.get(0).equals("ping"))).hasSize(3);
    }

    @Test
    void anIpv6OnlyDirectorPingsItsLinkLocalRouterThroughItsDevice() {
        sh("ip", "-n", gw, "addr", "add", "fe80::1/64", "dev", "gwb" + tag, "nodad");
        sh("ip", "-n", dir, "addr", "add", "2001:db8::2/64", "dev", "gwa" + tag, "nodad");
        sh("ip", "-n", dir, "-6", "route", "add", "default", "via", "fe80::1", "dev", "gwa" + tag);
        assertThat(new GatewayCheck(inDirector).reachable()).isTrue();
        assertThat(ran).contains(List.of("ping", "-6", "-n", "-c", "1", "-w", "1", "fe80::1%gwa" + tag));

        sh("ip", "-n", gw, "link", "set", "gwb" + tag, "down");
        ran.clear();
        assertThat(new GatewayCheck(inDirector).reachable()).isFalse();
    }
}
