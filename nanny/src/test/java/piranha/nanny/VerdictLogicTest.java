package piranha.nanny;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import piranha.nanny.check.CheckResult;

/** The verdict rules, row by row, with a fake clock. */
class VerdictLogicTest {
    final AtomicLong now = new AtomicLong(1_000_000);

    VerdictLogic logic(NannyConfig.Builder b) {
        return new VerdictLogic(b.build(), now::get);
    }

    static NannyConfig.Builder cfg() {
        return NannyConfig.builder("198.51.100.21", 80).timeout(6).reentry(15).weight(1);
    }

    static CheckResult good() {
        return new CheckResult(true, "got expected reply", null, Duration.ofMillis(3));
    }

    static CheckResult bad(String why) {
        return new CheckResult(false, why, null, Duration.ofMillis(6000));
    }

    /** One check, {@code timeout} seconds after the previous one. */
    VerdictLogic.Step check(VerdictLogic l, CheckResult r) {
        now.addAndGet(6000);
        return l.onCheck(r);
    }

    @Test
    void aHealthyServerEntersOnItsFirstGoodCheck() {
        VerdictLogic l = logic(cfg());
        assertThat(l.state()).isEqualTo(HealthState.DOWN);
        Verdict v = check(l, good()).verdict();
        assertThat(v).isEqualTo(new Verdict("198.51.100.21:80", HealthState.UP, 1, "got expected reply", Duration.ofMillis(3)));
    }

    @Test
    void theSnapshotSaysWhenTheLastCheckEnded() {
        VerdictLogic l = logic(cfg());
        assertThat(l.snapshot().lastCheckAtMillis()).isEqualTo(-1);
        check(l, good());
        assertThat(l.snapshot().lastCheckAtMillis()).isEqualTo(now.get());
        check(l, bad("refused"));
        assertThat(l.snapshot().lastCheckAtMillis()).isEqualTo(now.get());
    }

    @Test
    void aFailedCheckBeforeEverBeingUpChangesNothing() {
        VerdictLogic l = logic(cfg());
        assertThat(check(l, bad("refused")).verdict()).isNull();
        assertThat(l.snapshot().lastReason()).isEqualTo("refused");
        assertThat(l.snapshot().failures()).isEqualTo(1);
    }

    @Test
    void oneFailureTakesTheServerOutAndReentryNeedsReentryOverTimeoutGoodChecks() {
        VerdictLogic l = logic(cfg()); // 15 / 6 = 2 good checks to return
        check(l, good());
        Verdict out = check(l, bad("connect to 198.51.100.21:80 timed out after 6 s")).verdict();
        assertThat(out.state()).isEqualTo(HealthState.DOWN);
        assertThat(out.weight()).isZero();
        assertThat(out.reason()).isEqualTo("connect to 198.51.100.21:80 timed out after 6 s");
        assertThat(check(l, good()).verdict()).isNull();
        assertThat(check(l, bad("refused")).verdict()).isNull(); // the count starts again
        assertThat(check(l, good()).verdict()).isNull();
        Verdict back = check(l, good()).verdict();
        assertThat(back.state()).isEqualTo(HealthState.UP);
        assertThat(l.snapshot().transitions()).isEqualTo(3);
    }

    @Test
    void reentryShorterThanTimeoutReturnsOnTheFirstGoodCheck() {
        VerdictLogic l = logic(cfg().reentry(0));
        check(l, good());
        check(l, bad("x"));
        assertThat(check(l, good()).verdict().state()).isEqualTo(HealthState.UP);
    }

    @Test
    void quiesceKeepsTheServerAtWeightZero() {
        VerdictLogic l = logic(cfg().quiesceServer(true).weight(64).reentry(6));
        assertThat(check(l, good()).verdict().weight()).isEqualTo(2);
        Verdict q = check(l, bad("x")).verdict();
        assertThat(q.state()).isEqualTo(HealthState.QUIESCED);
        assertThat(q.weight()).isZero();
        Verdict back = check(l, good()).verdict();
        assertThat(back.state()).isEqualTo(HealthState.UP);
        assertThat(back.weight()).isEqualTo(2); // slow start again
    }

    @Test
    void slowStartDoublesAboutEveryTwentySecondsUpToTheWeight() {
        VerdictLogic l = logic(cfg().weight(100));
        assertThat(check(l, good()).verdict().weight()).isEqualTo(3);
        int[] expected = {6, 12, 24, 48, 96, 100};
        int seen = 0;
        for (int i = 0; i < 40 && seen < expected.length; i++) {
            long before = now.get();
            Verdict v = check(l, good()).verdict();
            if (v != null) {
                assertThat(v.weight()).isEqualTo(expected[seen++]);
                assertThat(v.reason()).startsWith("slow start: weight ");
            }
            assertThat(now.get() - before).isEqualTo(6000);
        }
        assertThat(seen).isEqualTo(expected.length);
        assertThat(check(l, good()).verdict()).isNull();
        // 6 s checks: an adjustment on every fourth check (24 s)
        assertThat(l.snapshot().checks()).isEqualTo(1 + 6 * 4 + 1);
    }

    @Test
    void slowStartAdjustsEveryCheckWhenTheIntervalIsLongerThanTwentySeconds() {
        VerdictLogic l = new VerdictLogic(cfg().timeout(30).weight(64).build(), now::get);
        assertThat(l.onCheck(good()).verdict().weight()).isEqualTo(2);
        now.addAndGet(30_000);
        assertThat(l.onCheck(good()).verdict().weight()).isEqualTo(4);
    }

    @Test
    void aNewConfiguredWeightScalesTheWeightInForceAndSlowStartAimsAtIt() {
        VerdictLogic l = logic(cfg().weight(100));
        assertThat(l.reweigh(10)).as("a server that is down has no weight to scale").isEmpty();
        assertThat(l.startWeight()).isEqualTo(1);
        l.reweigh(100);
        assertThat(check(l, good()).verdict().weight()).isEqualTo(3);
        Verdict scaled = l.reweigh(200).orElseThrow();
        assertThat(scaled.state()).isEqualTo(HealthState.UP);
        assertThat(scaled.weight()).isEqualTo(6); // 3 of 100 is 6 of 200
        assertThat(scaled.reason()).isEqualTo("configured weight 100 -> 200: weight 3 -> 6");
        int last = 0;
        for (int i = 0; i < 40 && last < 200; i++) {
            Verdict v = check(l, good()).verdict();
            last = v == null ? last : v.weight();
        }
        assertThat(last).isEqualTo(200);
        assertThat(l.reweigh(50).orElseThrow().weight()).as("at its weight it goes to the new one").isEqualTo(50);
        assertThat(l.reweigh(50)).isEmpty();
        assertThat(l.snapshot().weight()).isEqualTo(50);
    }

    @Test
    void configuredWeightZeroMeansOne() {
        VerdictLogic l = logic(cfg().weight(0));
        assertThat(check(l, good()).verdict().weight()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            assertThat(check(l, good()).verdict()).isNull();
        }
    }

    @Test
    void loadMonitorIsSampledOnceAtTheWeightAndScalesIt() {
        VerdictLogic l = logic(cfg().weight(8).loadMonitor("rup"));
        check(l, good()); // 1
        int sampleRequests = 0;
        for (int i = 0; i < 30; i++) {
            VerdictLogic.Step s = check(l, good());
            if (s.sampleLoad()) {
                sampleRequests++;
            }
        }
        assertThat(l.weight()).isEqualTo(8);
        assertThat(sampleRequests).isPositive();
        // load 0: +4 * 1 = 12
        assertThat(l.onLoad(OptionalDouble.of(0.0)).orElseThrow().weight()).isEqualTo(12);
        // load 1: unchanged
        assertThat(l.onLoad(OptionalDouble.of(1.0))).isEmpty();
        // unreadable: unchanged
        assertThat(l.onLoad(OptionalDouble.empty())).isEmpty();
        // load 9: 12 - 4 * 2 = 4, floored at 8
        assertThat(l.onLoad(OptionalDouble.of(9.0)).orElseThrow().weight()).isEqualTo(8);
    }

    @Test
    void noLoadSamplesWithoutALoadMonitor() {
        VerdictLogic l = logic(cfg().weight(1));
        for (int i = 0; i < 20; i++) {
            assertThat(check(l, good()).sampleLoad()).isFalse();
        }
    }

    @Test
    void forceDownForceUpAndBackToAuto() {
        VerdictLogic l = logic(cfg().weight(40));
        check(l, good());
        Verdict down = l.forceDown().orElseThrow();
        assertThat(down.state()).isEqualTo(HealthState.DOWN);
        assertThat(down.reason()).isEqualTo("forced down by operator");
        assertThat(check(l, good()).verdict()).isNull(); // checks ignored while forced
        assertThat(l.mode()).isEqualTo(Mode.FORCED_DOWN);
        Verdict up = l.forceUp().orElseThrow();
        assertThat(up.state()).isEqualTo(HealthState.UP);
        assertThat(up.weight()).isEqualTo(40);
        assertThat(check(l, bad("x")).verdict()).isNull();
        l.auto();
        assertThat(l.mode()).isEqualTo(Mode.AUTO);
        assertThat(check(l, bad("refused")).verdict().state()).isEqualTo(HealthState.DOWN);
        l.forceDown();
        l.auto(); // count is full again: the next good check brings it back
        assertThat(check(l, good()).verdict().state()).isEqualTo(HealthState.UP);
    }

    @Test
    void explicitFallAndRiseCountsReplacePiranhasThresholds() {
        VerdictLogic l = logic(cfg().fall(3).rise(2));
        check(l, good());
        assertThat(check(l, bad("a")).verdict()).isNull();
        assertThat(check(l, bad("b")).verdict()).isNull();
        assertThat(check(l, good()).verdict()).isNull(); // a good check resets the failure count
        assertThat(check(l, bad("c")).verdict()).isNull();
        assertThat(check(l, bad("d")).verdict()).isNull();
        Verdict out = check(l, bad("e")).verdict();
        assertThat(out.state()).isEqualTo(HealthState.DOWN);
        assertThat(out.reason()).isEqualTo("e");
        assertThat(check(l, good()).verdict()).isNull();
        assertThat(check(l, good()).verdict().state()).isEqualTo(HealthState.UP);
    }

    @Test
    void extensionValuesAreValidated() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cfg().fall(0).build())
                .hasMessage("fall must be at least 1, not 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cfg().timeout(0).build())
                .hasMessage("timeout must be at least 1 second, not 0");
        assertThat(cfg().interval(5).build().intervalDuration()).isEqualTo(Duration.ofSeconds(5));
        assertThat(cfg().build().intervalDuration()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void forceDownOfADownServerSaysNothing() {
        VerdictLogic l = logic(cfg());
        assertThat(l.forceDown()).isEmpty();
        assertThat(l.snapshot().mode()).isEqualTo(Mode.FORCED_DOWN);
    }

    @Test
    void loadRuleFollowsPiranha() {
        assertThat(LoadRule.parseLoad(" 10:00:01 up 3 days,  2 users,  load average: 0.52, 0.40, 0.30")).hasValue(0.52);
        assertThat(LoadRule.parseLoad("host1  up  3 days, 12:03,  load average: 1.25, 1.0, 0.8")).hasValue(1.25);
        assertThat(LoadRule.parseLoad("host1  up  3+02:00,  2 users,  load 2.10, 0.20, 0.30")).hasValue(2.10);
        assertThat(LoadRule.parseLoad("rup: RPC: timed out")).isEmpty();
        assertThat(LoadRule.adjust(10, 10, 10, 0.0)).isEqualTo(15);
        assertThat(LoadRule.adjust(95, 10, 10, 0.0)).isEqualTo(100);
        assertThat(LoadRule.adjust(10, 10, 10, 0.99)).isEqualTo(10); // +1.07 is under W/4: unchanged
    }

    static CheckResult weight(int w) {
        return good().with(new CheckResult.Detail(w + 2, null, w));
    }

    @Test
    void aWeightFromTheCheckIsAppliedAsItIsAndExitZeroLeavesIt() {
        VerdictLogic l = logic(cfg().weight(100).reentry(6)); // one good check to return
        Verdict in = check(l, weight(40)).verdict();
        assertThat(in.state()).isEqualTo(HealthState.UP);
        assertThat(in.weight()).isEqualTo(40); // no slow start from weight / 32
        Verdict changed = check(l, weight(7)).verdict();
        assertThat(changed.weight()).isEqualTo(7);
        assertThat(changed.reason()).startsWith("weight 40 -> 7 set by the check");
        assertThat(check(l, weight(7)).verdict()).isNull();
        now.addAndGet(60_000);
        assertThat(check(l, good()).verdict()).isNull(); // exit 0: the weight stays (keepalived's misc_dynamic)
        assertThat(l.weight()).isEqualTo(7);
        assertThat(check(l, weight(0)).verdict().weight()).isZero();
        Verdict out = check(l, bad("exited 1")).verdict();
        assertThat(out.state()).isEqualTo(HealthState.DOWN);
        Verdict back = check(l, good()).verdict();
        assertThat(back.weight()).isEqualTo(3); // exit 0 after being out: slow start again from weight / 32
    }
}
