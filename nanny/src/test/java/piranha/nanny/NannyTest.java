package piranha.nanny;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import piranha.nanny.check.CheckEnvironment;

/**
 * Nannies on real timers against real loopback servers: detection times and the operator API.
 * Most use reentry 0 so that a first check slowed by a cold JVM on a busy machine cannot keep the
 * server out for reentry / timeout checks; re-entry itself is tested on its own.
 */
class NannyTest {
    Vertx vertx;
    CheckEnvironment env;
    final LinkedBlockingQueue<Timed> verdicts = new LinkedBlockingQueue<>();

    record Timed(Verdict verdict, long atNanos) { }

    @BeforeEach
    void up() {
        vertx = Vertx.vertx();
        env = CheckEnvironment.create(vertx);
    }

    @AfterEach
    void down() {
        vertx.close().await();
    }

    Nanny nanny(NannyConfig c) {
        Nanny n = new Nanny(env, c, v -> verdicts.add(new Timed(v, System.nanoTime())));
        n.start().await();
        return n;
    }

    Timed next(long seconds) throws InterruptedException {
        Timed t = verdicts.poll(seconds, TimeUnit.SECONDS);
        assertThat(t).as("a verdict within " + seconds + " s").isNotNull();
        return t;
    }

    /** A takeover right after a start stopped a nanny whose deployment was under way: it threw, and kept checking. */
    @Test
    void aStopWhileTheStartIsUnderWayStopsTheChecking() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"))) {
            Nanny n = new Nanny(env, NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(0).build(),
                    v -> verdicts.add(new Timed(v, System.nanoTime())));
            var started = n.start();
            n.stop().await(5, TimeUnit.SECONDS);
            assertThat(started.succeeded()).isTrue();
            assertThat(vertx.deploymentIDs()).isEmpty();
            int before = s.accepted();
            Thread.sleep(1500); // a running nanny checks every second
            assertThat(s.accepted()).isEqualTo(before);
        }
    }

    @Test
    void aServerWhosePortStartsRefusingIsDownWithinTheTimeout() throws Exception {
        LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"));
        Nanny n = nanny(NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(0).build());
        Timed up = next(5);
        assertThat(up.verdict().state()).isEqualTo(HealthState.UP);
        Thread.sleep(300); // somewhere between two checks
        long closedAt = System.nanoTime();
        s.close();
        Timed down = next(5);
        long ms = (down.atNanos() - closedAt) / 1_000_000;
        assertThat(down.verdict().state()).isEqualTo(HealthState.DOWN);
        assertThat(down.verdict().reason()).isEqualTo("connect to 127.0.0.1:" + s.port() + " refused");
        assertThat(ms).as("detection time (ms)").isLessThanOrEqualTo(1000 + 100);
        assertThat(n.snapshot().state()).isEqualTo(HealthState.DOWN);
        assertThat(n.snapshot().failures()).isEqualTo(1);
        n.stop().await();
    }

    @Test
    void aServerThatStopsAnsweringIsDownWithinTwiceTheTimeout() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"))) {
            nanny(NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(0).build());
            assertThat(next(5).verdict().state()).isEqualTo(HealthState.UP);
            Thread.sleep(300);
            long hungAt = System.nanoTime();
            s.behave(LoopbackServer.silent());
            Timed down = next(5);
            long ms = (down.atNanos() - hungAt) / 1_000_000;
            assertThat(down.verdict().state()).isEqualTo(HealthState.DOWN);
            assertThat(down.verdict().reason()).startsWith("read from 127.0.0.1:" + s.port() + " timed out after 1 s");
            assertThat(down.verdict().latency().toMillis()).isBetween(900L, 1500L);
            assertThat(ms).as("detection time (ms)").isLessThanOrEqualTo(2 * 1000 + 100);
        }
    }

    @Test
    void recoveryNeedsReentryOverTimeoutGoodChecks() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"))) {
            nanny(NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(3).build());
            assertThat(next(5).verdict().state()).isEqualTo(HealthState.UP);
            s.behave(LoopbackServer.reply("503 busy"));
            Timed down = next(5);
            assertThat(down.verdict().reason()).isEqualTo("expected 'HTTP', got '503 busy'");
            s.behave(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"));
            long fixedAt = System.nanoTime();
            Timed back = next(8);
            long ms = (back.atNanos() - fixedAt) / 1_000_000;
            assertThat(back.verdict().state()).isEqualTo(HealthState.UP);
            // three good checks, one second apart, the first within a second of the fix
            assertThat(ms).isBetween(2000L, 4500L);
        }
    }

    @Test
    void operatorOverridesStopChecksAndAutoResumesThem() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"))) {
            Nanny n = nanny(NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(0).weight(5).build());
            assertThat(next(5).verdict().state()).isEqualTo(HealthState.UP);
            n.forceDown();
            Timed forced = next(5);
            assertThat(forced.verdict().state()).isEqualTo(HealthState.DOWN);
            assertThat(forced.verdict().reason()).isEqualTo("forced down by operator");
            Thread.sleep(100);
            assertThat(n.snapshot().mode()).isEqualTo(Mode.FORCED_DOWN);
            int acceptedBefore = s.accepted();
            Thread.sleep(2500);
            assertThat(s.accepted()).as("no checks while forced").isEqualTo(acceptedBefore);
            assertThat(verdicts).isEmpty();
            n.auto();
            Timed back = next(5);
            assertThat(back.verdict().state()).isEqualTo(HealthState.UP);
            assertThat(back.verdict().weight()).isEqualTo(1); // 5 >> 5, at least 1: slow start
            n.forceUp();
            Timed up = next(5);
            assertThat(up.verdict().weight()).isEqualTo(5);
            assertThat(n.snapshot().mode()).isEqualTo(Mode.FORCED_UP);
        }
    }

    @Test
    void aThrowingListenerDoesNotStopTheNanny() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"))) {
            Nanny n = new Nanny(env, NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(0).build(), v -> {
                verdicts.add(new Timed(v, System.nanoTime()));
                throw new IllegalStateException("listener bug");
            });
            n.start().await();
            assertThat(next(5).verdict().state()).isEqualTo(HealthState.UP);
            s.behave(LoopbackServer.closeAtOnce());
            assertThat(next(5).verdict().state()).isEqualTo(HealthState.DOWN);
            assertThat(n.snapshot().checks()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void stopEndsChecking() throws Exception {
        try (LoopbackServer s = new LoopbackServer(LoopbackServer.reply("HTTP/1.0 200 OK\r\n\r\n"))) {
            Nanny n = nanny(NannyConfig.builder("127.0.0.1", 80).rport(s.port()).timeout(1).reentry(0).build());
            // checking has begun (a verdict may lag on a starved machine: what matters is the checks)
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (s.accepted() == 0 && System.nanoTime() < until) {
                Thread.sleep(20);
            }
            assertThat(s.accepted()).as("checks before stop").isPositive();
            n.stop().await();
            Thread.sleep(200);
            int accepted = s.accepted();
            Thread.sleep(2200);
            assertThat(s.accepted()).isEqualTo(accepted);
        }
    }
}
