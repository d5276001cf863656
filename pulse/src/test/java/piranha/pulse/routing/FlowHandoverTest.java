package piranha.pulse.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.exec.CommandRunner;

class FlowHandoverTest {
    @TempDir
    Path dir;

    static Inet4Address a(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void theRingIsTheLiveDirectorsInAddressOrderWithThisOne() throws Exception {
        assertThat(FlowHandover.ring(a("198.51.100.12"), Set.of(a("198.51.100.13"), a("198.51.100.9"))))
                .containsExactly(a("198.51.100.9"), a("198.51.100.12"), a("198.51.100.13"));
        assertThat(FlowHandover.ring(a("198.51.100.12"), Set.of())).containsExactly(a("198.51.100.12"));
        assertThat(FlowHandover.ring(a("10.0.0.1"), Set.of(a("192.0.2.1")))).containsExactly(a("10.0.0.1"), a("192.0.2.1"));
    }

    @Test
    void aPacketOfAnUnknownConnectionGoesToTheNextDirectorWithTheHopsLeftInItsTtl() throws Exception {
        List<Inet4Address> ring = List.of(a("198.51.100.11"), a("198.51.100.12"), a("198.51.100.13"));
        String text = FlowHandover.render(a("198.51.100.13"), ring, List.of(a("203.0.113.200"), a("203.0.113.201")));
        assertThat(text)
                .contains("elements = { 203.0.113.200, 203.0.113.201 }")
                .contains("ip daddr @vips tcp flags & (syn | rst) == 0 ct state new jump unknown_connection")
                .contains("ip daddr @vips tcp flags & (fin | syn | rst) == fin ct state invalid jump unknown_connection")
                // the last on the ring wraps to the first; two more directors to ask after this one
                .contains("ip ttl >= 16 ip ttl set 2 counter dup to 198.51.100.11 drop")
                .contains("ip ttl 0 tcp flags fin counter drop")
                .contains("ip ttl 0 counter accept")
                .contains("counter dup to 198.51.100.11 drop comment \"handed over: ask the next\"");
        assertThat(FlowHandover.render(a("198.51.100.11"), ring, List.of(a("203.0.113.200"))))
                .contains("ip ttl set 2 counter dup to 198.51.100.12 drop");
        assertThat(FlowHandover.render(a("198.51.100.11"), ring.subList(0, 2), List.of(a("203.0.113.200"))))
                .contains("ip ttl set 1 counter dup to 198.51.100.12 drop");
    }

    @Test
    void aloneTheDirectorHandsNothingOver() throws Exception {
        String text = FlowHandover.render(a("198.51.100.11"), List.of(a("198.51.100.11")), List.of(a("203.0.113.200")));
        assertThat(text).doesNotContain("dup").doesNotContain("jump").contains("chain prerouting");
    }

    /** nft itself reads what is rendered (check mode: nothing is loaded). */
    @Test
    void nftAcceptsTheTable() throws Exception {
        List<Inet4Address> ring = List.of(a("198.51.100.11"), a("198.51.100.12"), a("198.51.100.13"));
        for (List<Inet4Address> r : List.of(ring, ring.subList(0, 1))) {
            Path f = dir.resolve("t.nft");
            // a first load must work on a host without the table: the script declares it before deleting it
            Files.writeString(f, FlowHandover.render(a("198.51.100.11"), r, List.of(a("203.0.113.200"))));
            CommandRunner.Result res = new CommandRunner(false).run(List.of("nft", "-c", "-f", f.toString()), Duration.ofSeconds(10));
            assertThat(res.output()).isEmpty();
            assertThat(res.status()).isZero();
        }
    }
}
