package piranha.nanny.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import piranha.lvscf.model.CheckKind;
import piranha.lvscf.model.StatusCodes;
import piranha.nanny.HealthState;
import piranha.nanny.LoopbackServer;
import piranha.nanny.Nanny;
import piranha.nanny.NannyConfig;
import piranha.nanny.Verdict;

/** Nannies with identical checks share one probe: the server sees one check per interval, every nanny its verdict. */
class SharedProbesTest {
    Vertx vertx;
    CheckEnvironment env;

    @BeforeEach
    void up() {
        vertx = Vertx.vertx();
        env = CheckEnvironment.create(vertx);
    }

    @AfterEach
    void down() {
        vertx.close().await();
    }

    static NannyConfig http(int port, String vip, String path) {
        return NannyConfig.builder("127.0.0.1", 8080).rport(port).vip(vip).timeout(1).reentry(0).check(CheckSpec.of(CheckKind.HTTP)
                .withHttp(new CheckSpec.Http("GET", path, null, StatusCodes.SUCCESS, null, null, 0))).build();
    }

    @Test
    void twoServicesWithTheSameCheckMakeOneProbePerInterval() throws Exception {
        try (LoopbackServer s = new LoopbackServer(HttpCheckTest.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))) {
            List<Verdict> a = new CopyOnWriteArrayList<>();
            List<Verdict> b = new CopyOnWriteArrayList<>();
            // different services (VIPs) and first-check delays: the probe's phase wins
            Nanny first = new Nanny(env, http(s.port(), "198.51.100.10", "/"), a::add,
                    Nanny.Options.defaults().withFirstCheckDelay(java.time.Duration.ofMillis(100)));
            Nanny second = new Nanny(env, http(s.port(), "198.51.100.11", "/"), b::add,
                    Nanny.Options.defaults().withFirstCheckDelay(java.time.Duration.ofMillis(600)));
            first.start().await();
            second.start().await();
            Thread.sleep(5_300);
            int probes = s.accepted();
            first.stop().await();
            second.stop().await();
            // 100 ms, 1.1 s, ... 5.1 s: six rounds, whatever the load, and never twelve
            assertThat(probes).isBetween(4, 7);
            assertThat(a).extracting(Verdict::state).containsExactly(HealthState.UP);
            assertThat(b).extracting(Verdict::state).containsExactly(HealthState.UP);
            assertThat(first.snapshot().checks()).isBetween(4L, 7L);
            assertThat(second.snapshot().checks()).isBetween(4L, 7L);
            assertThat(first.snapshot().probeUsers()).isEqualTo(2);
            assertThat(env.probes().counts()).containsExactly(0, 0); // both left
        }
    }

    @Test
    void differentRequestsAreDifferentProbes() throws Exception {
        try (LoopbackServer s = new LoopbackServer(HttpCheckTest.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))) {
            Nanny first = new Nanny(env, http(s.port(), "198.51.100.10", "/a"), v -> { });
            Nanny second = new Nanny(env, http(s.port(), "198.51.100.10", "/b"), v -> { });
            first.start().await();
            second.start().await();
            assertThat(env.probes().counts()).containsExactly(2, 2);
            Thread.sleep(2_300);
            first.stop().await();
            second.stop().await();
            assertThat(s.accepted()).isBetween(4, 7);
            assertThat(first.snapshot().probeUsers()).isEqualTo(1);
        }
    }
}
