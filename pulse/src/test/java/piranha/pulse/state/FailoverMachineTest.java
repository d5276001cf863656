package piranha.pulse.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import piranha.pulse.state.Action.Activate;
import piranha.pulse.state.Action.Deactivate;
import piranha.pulse.state.Action.Exit;
import piranha.pulse.state.Action.Log;
import piranha.pulse.state.Action.Reannounce;
import piranha.pulse.state.Action.SendHeartbeat;
import piranha.pulse.state.Action.Warn;

/** One test per row of the transition table (Piranha §3.5) and per fix. */
class FailoverMachineTest {
    static final Duration DEAD = Duration.ofMillis(600);
    static final int P = 1;
    static final int B = 2;

    final AtomicLong clock = new AtomicLong(1_000_000_000L);

    FailoverMachine machine(boolean primary) {
        return machine(new Settings(primary, true, DEAD, false, null, primary ? P : B, false));
    }

    FailoverMachine machine(Settings s) {
        FailoverMachine m = new FailoverMachine(s, clock::get);
        m.handle(new Input.Start());
        return m;
    }

    void advance(long ms) {
        clock.addAndGet(ms * 1_000_000L);
    }

    static Input running() {
        return new Input.PartnerHeartbeat(new Heartbeat(PeerState.RUNNING, null, 0));
    }

    static Input stopped() {
        return new Input.PartnerHeartbeat(new Heartbeat(PeerState.STOPPED, null, 0));
    }

    static List<Action> activation(String reason) {
        return List.of(new Log(reason), new Activate(), new SendHeartbeat());
    }

    static List<Action> deactivation(String reason) {
        return List.of(new Log(reason), new Deactivate(false), new SendHeartbeat());
    }

    FailoverMachine activeMachine(boolean primary) {
        FailoverMachine m = machine(primary);
        m.handle(stopped());
        assertThat(m.active()).isTrue();
        return m;
    }

    @Nested
    class StartUp {
        @Test
        void primaryLogsMasterAndClearsLeftovers() {
            FailoverMachine m = new FailoverMachine(new Settings(true, true, DEAD, false, null, P, false), clock::get);
            assertThat(m.handle(new Input.Start()))
                    .containsExactly(new Log("STARTING PULSE AS MASTER"), new Deactivate(false));
            assertThat(m.active()).isFalse();
            assertThat(m.partner()).isEqualTo(PartnerState.UNKNOWN);
        }

        @Test
        void backupLogsBackup() {
            FailoverMachine m = new FailoverMachine(new Settings(false, true, DEAD, false, null, B, false), clock::get);
            assertThat(m.handle(new Input.Start()))
                    .containsExactly(new Log("STARTING PULSE AS BACKUP"), new Deactivate(false));
        }

        @Test
        void lonePrimaryActivatesAtOnceWithoutWaitingDeadtime() {
            FailoverMachine m = new FailoverMachine(new Settings(true, false, DEAD, false, null, P, false), clock::get);
            List<Action> out = m.handle(new Input.Start());
            assertThat(out).startsWith(new Log("STARTING PULSE AS MASTER"), new Deactivate(false))
                    .endsWith(activation("no backup configured: activating lvs").toArray(new Action[0]));
            assertThat(m.active()).isTrue();
            assertThat(m.partner()).isEqualTo(PartnerState.NONE);
            advance(10_000);
            assertThat(m.handle(new Input.Tick())).isEmpty();
        }

        /** The heartbeat thread sleeps until the next deadline: one in the past would make it spin. */
        @Test
        void aLonePrimarysDeadlineIsNeverInThePast() {
            FailoverMachine m = machine(new Settings(true, false, DEAD, false, null, P, false));
            assertThat(m.nextDeadlineNanos() - clock.get()).isGreaterThan(DEAD.toNanos());
            for (long ms : new long[] {DEAD.toMillis(), 10_000, 7_200_000}) {
                advance(ms);
                if (clock.get() - m.nextDeadlineNanos() >= 0) {
                    assertThat(m.handle(new Input.Tick())).isEmpty();
                }
                assertThat(m.nextDeadlineNanos() - clock.get()).as("after %d ms", ms).isPositive();
            }
            assertThat(m.partner()).isEqualTo(PartnerState.NONE);
        }

        @Test
        void loneBackupExits() {
            FailoverMachine m = new FailoverMachine(new Settings(false, false, DEAD, false, null, B, false), clock::get);
            assertThat(m.handle(new Input.Start())).last().isEqualTo(new Exit(0));
        }

        @Test
        void forceActiveActivatesAtStart() {
            FailoverMachine m = new FailoverMachine(new Settings(true, true, DEAD, true, null, P, false), clock::get);
            assertThat(m.handle(new Input.Start()))
                    .endsWith(activation("Forced active on startup: activating lvs").toArray(new Action[0]));
            assertThat(m.active()).isTrue();
        }

        @Test
        void inputsBeforeStartAreABug() {
            FailoverMachine m = new FailoverMachine(new Settings(true, true, DEAD, false, null, P, false), clock::get);
            assertThatThrownBy(() -> m.handle(new Input.Tick())).isInstanceOf(IllegalStateException.class);
        }
    }

    @Nested
    class PartnerRunning {
        @Test
        void backupActiveYieldsAndTellsThePartnerAtOnce() {
            FailoverMachine m = activeMachine(false);
            assertThat(m.handle(running())).containsExactlyElementsOf(deactivation("partner active: deactivating LVS"));
            assertThat(m.active()).isFalse();
        }

        @Test
        void primaryActiveStaysAndReannouncesOncePerEpisode() {
            FailoverMachine m = activeMachine(true);
            assertThat(m.handle(running()))
                    .containsExactly(new Log("partner active: resending arps"), new Reannounce());
            advance(200);
            assertThat(m.handle(running())).isEmpty();
            assertThat(m.active()).isTrue();
            // the loser has yielded: re-announce again so every neighbour points at the winner
            advance(10);
            assertThat(m.handle(stopped()))
                    .containsExactly(new Log("partner inactive: resending arps"), new Reannounce());
            assertThat(m.handle(stopped())).isEmpty();
        }

        @Test
        void aPartnerThatNeverYieldsGetsReannouncedAgainEachDeadtime() {
            FailoverMachine m = activeMachine(true);
            m.handle(running());
            advance(DEAD.toMillis() - 1);
            assertThat(m.handle(running())).isEmpty();
            advance(1);
            assertThat(m.handle(running())).contains(new Reannounce());
        }

        @Test
        void standbyDoesNothing() {
            FailoverMachine m = machine(true);
            assertThat(m.handle(running())).isEmpty();
            assertThat(m.partner()).isEqualTo(PartnerState.RUNNING);
            m = machine(false);
            assertThat(m.handle(running())).isEmpty();
        }

        @Test
        void standbyClearsChildFail() {
            FailoverMachine m = activeMachine(false);
            m.handle(new Input.LvsdFailed("Child process 42 exited with status 1"));
            assertThat(m.childFail()).isTrue();
            m.handle(running());
            assertThat(m.childFail()).isFalse();
            assertThat(m.inhibited()).isFalse();
        }

        @Test
        void sameRoleClashIsWarnedOnceAndTheLowerAddressWins() {
            FailoverMachine low = machine(new Settings(true, true, DEAD, false, null, 10, false));
            low.handle(stopped());
            Input clash = new Input.PartnerHeartbeat(new Heartbeat(PeerState.RUNNING, true, 20));
            List<Action> out = low.handle(clash);
            assertThat(out).first().isInstanceOf(Warn.class);
            assertThat(out).contains(new Reannounce());
            assertThat(low.active()).isTrue();
            advance(DEAD.toMillis());
            assertThat(low.handle(clash)).noneMatch(a -> a instanceof Warn);

            FailoverMachine high = machine(new Settings(true, true, DEAD, false, null, 30, false));
            high.handle(stopped());
            assertThat(high.handle(new Input.PartnerHeartbeat(new Heartbeat(PeerState.RUNNING, true, 20))))
                    .contains(new Deactivate(false));
            assertThat(high.active()).isFalse();
        }

        @Test
        void signedRoleOfTheOtherKindMeansPrimaryWins() {
            FailoverMachine backup = activeMachine(false);
            assertThat(backup.handle(new Input.PartnerHeartbeat(new Heartbeat(PeerState.RUNNING, true, P))))
                    .contains(new Deactivate(false));
        }
    }

    @Nested
    class PartnerStopped {
        @Test
        void primaryStandbyActivates() {
            FailoverMachine m = machine(true);
            assertThat(m.handle(stopped())).containsExactlyElementsOf(activation("backup inactive: activating lvs"));
        }

        @Test
        void backupStandbyActivates() {
            FailoverMachine m = machine(false);
            assertThat(m.handle(stopped())).containsExactlyElementsOf(activation("primary inactive: activating lvs"));
        }

        @Test
        void inhibitedStandbyStays() {
            FailoverMachine m = machine(false);
            m.handle(new Input.Links(Set.of("Primary")));
            assertThat(m.handle(stopped())).isEmpty();
            assertThat(m.active()).isFalse();
        }

        @Test
        void activeDoesNothing() {
            FailoverMachine m = activeMachine(false);
            assertThat(m.handle(stopped())).isEmpty();
            assertThat(m.active()).isTrue();
        }
    }

    @Nested
    class Deadline {
        @Test
        void standbyActivatesWhenThePartnerIsSilentForDeadtime() {
            FailoverMachine m = machine(false);
            m.handle(running());
            advance(DEAD.toMillis() - 1);
            assertThat(m.handle(new Input.Tick())).isEmpty();
            advance(1);
            assertThat(m.handle(new Input.Tick())).containsExactlyElementsOf(activation("partner dead: activating lvs"));
            assertThat(m.partner()).isEqualTo(PartnerState.DEAD);
        }

        @Test
        void startCountsAsTheFirstHeartbeat() {
            FailoverMachine m = machine(true);
            assertThat(m.nextDeadlineNanos()).isEqualTo(clock.get() + DEAD.toNanos());
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).contains(new Activate());
        }

        @Test
        void everyHeartbeatPushesTheDeadline() {
            FailoverMachine m = machine(false);
            for (int i = 0; i < 10; i++) {
                advance(DEAD.toMillis() / 2);
                m.handle(running());
                assertThat(m.handle(new Input.Tick())).isEmpty();
            }
            assertThat(m.active()).isFalse();
        }

        @Test
        void activeDoesNothingAndInhibitedStandbyStays() {
            FailoverMachine m = activeMachine(false);
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).isEmpty();
            FailoverMachine linkDown = machine(false);
            linkDown.handle(new Input.Links(Set.of("Primary")));
            advance(DEAD.toMillis());
            assertThat(linkDown.handle(new Input.Tick())).isEmpty();
        }

        @Test
        void aHeldUpStandbyGivesThePartnerOneKeepaliveMoreOncePerSilence() {
            long keepalive = DEAD.toNanos() / 3;
            FailoverMachine m = machine(false);
            m.handle(running());
            advance(DEAD.toMillis() + 100); // this thread was not run: the deadline passed meanwhile
            assertThat(m.handle(new Input.HeldUp(keepalive))).isEmpty();
            assertThat(m.handle(new Input.Tick())).isEmpty();
            assertThat(m.nextDeadlineNanos()).isEqualTo(clock.get() + keepalive);
            m.handle(running()); // the partner's heartbeat, held up as well, came within the grace
            assertThat(m.active()).isFalse();

            advance(DEAD.toMillis() - 1);
            m.handle(new Input.HeldUp(keepalive));
            advance(keepalive / 1_000_000 - 1);
            m.handle(new Input.HeldUp(keepalive)); // once per silence: nothing moves
            advance(2);
            assertThat(m.handle(new Input.Tick())).containsExactlyElementsOf(activation("partner dead: activating lvs"));
        }

        @Test
        void holdUpsFarFromTheDeadlineMoveNothing() {
            FailoverMachine m = machine(false);
            m.handle(running());
            long deadline = m.nextDeadlineNanos();
            m.handle(new Input.HeldUp(DEAD.toNanos() / 3));
            assertThat(m.nextDeadlineNanos()).isEqualTo(deadline);
            advance(DEAD.toMillis() - 10); // the grace is still there for a hold-up near the deadline
            m.handle(new Input.HeldUp(DEAD.toNanos() / 3));
            assertThat(m.nextDeadlineNanos()).isEqualTo(clock.get() + DEAD.toNanos() / 3);
        }

        @Test
        void deadlineReArmsAfterFiring() {
            FailoverMachine m = machine(false);
            m.handle(new Input.Links(Set.of("Primary")));
            advance(DEAD.toMillis());
            m.handle(new Input.Tick());
            m.handle(new Input.Links(Set.of()));
            advance(DEAD.toMillis() - 1);
            assertThat(m.handle(new Input.Tick())).isEmpty();
            advance(1);
            assertThat(m.handle(new Input.Tick())).contains(new Activate());
        }
    }

    @Nested
    class Links {
        @Test
        void linkDownOnActiveDeactivatesAndInhibitsLoggedOnce() {
            FailoverMachine m = activeMachine(true);
            List<Action> out = m.handle(new Input.Links(Set.of("Primary")));
            assertThat(out).containsExactly(new Log("Primary NIC: link down"),
                    new Log("Local NIC link failure: Pulse disabled"),
                    new Log("local link failure: deactivating LVS"), new Deactivate(false), new SendHeartbeat());
            assertThat(m.linkFail()).isTrue();
            assertThat(m.handle(new Input.Links(Set.of("Primary")))).isEmpty();
            assertThat(m.handle(new Input.Links(Set.of("Primary", "Private")))).isEmpty();
        }

        @Test
        void linkDownOnStandbyOnlyInhibits() {
            FailoverMachine m = machine(false);
            assertThat(m.handle(new Input.Links(Set.of("Private"))))
                    .containsExactly(new Log("Private NIC: link down"), new Log("Local NIC link failure: Pulse disabled"));
        }

        @Test
        void restoredClearsWithoutActivating() {
            FailoverMachine m = activeMachine(true);
            m.handle(new Input.Links(Set.of("Primary")));
            assertThat(m.handle(new Input.Links(Set.of())))
                    .containsExactly(new Log("Local NIC link(s) restored: Pulse enabled"));
            assertThat(m.active()).isFalse();
            assertThat(m.inhibited()).isFalse();
            assertThat(m.handle(stopped())).contains(new Activate());
        }
    }

    @Nested
    class Lvsd {
        @Test
        void lvsdDeathWhileActiveDeactivatesAndSetsChildFail() {
            FailoverMachine m = activeMachine(true);
            assertThat(m.handle(new Input.LvsdFailed("Child process 42 exited with status 3")))
                    .containsExactly(new Log("Child process 42 exited with status 3"),
                            new Log("lvsd failed: deactivating LVS"), new Deactivate(false), new SendHeartbeat());
            assertThat(m.childFail()).isTrue();
            assertThat(m.handle(stopped())).isEmpty();
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).isEmpty();
        }

        /** Piranha's §3.5 weakness: without a partner CHILDFAIL ended the service until pulse was restarted. */
        @Test
        void lvsdDeathOnALonePrimaryRestartsItWithBackoffAndStaysActive() {
            FailoverMachine m = machine(new Settings(true, false, DEAD, false, null, P, false));
            List<Long> delays = new java.util.ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                List<Action> out = m.handle(new Input.LvsdFailed("Child process 4" + i + " exited due to signal 9"));
                assertThat(out.get(0)).isEqualTo(new Log("Child process 4" + i + " exited due to signal 9"));
                assertThat(out.get(1)).isInstanceOf(Warn.class).asString()
                        .contains("no partner is configured", "restarting lvsd", "(restart " + i + ")");
                assertThat(out.get(2)).isInstanceOf(Action.RestartLvsd.class);
                assertThat(out).hasSize(3).doesNotContain(new Deactivate(false));
                long delay = ((Action.RestartLvsd) out.get(2)).delay().toMillis();
                delays.add(delay);
                advance(delay + 500); // the restarted lvsd dies half a second after it started
            }
            assertThat(delays).containsExactly(1000L, 2000L, 4000L, 8000L, 16000L, 32000L, 60000L, 60000L, 60000L);
            assertThat(m.active()).isTrue();
            assertThat(m.inhibited()).isFalse();
            assertThat(m.lvsdRestarts()).isEqualTo(9);
            assertThat(m.transitions()).hasSize(1); // the activation at start only

            advance(FailoverMachine.RESTART_STABLE_NANOS / 1_000_000);
            assertThat(m.handle(new Input.LvsdFailed("Child process 50 exited with status 1")))
                    .as("an lvsd that ran for a while starts the backoff over")
                    .contains(new Action.RestartLvsd(Duration.ofSeconds(1)));
        }

        @Test
        void lvsdDeathWhileThePartnerIsDeadRestartsIt() {
            FailoverMachine m = machine(false);
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).contains(new Activate());
            assertThat(m.partner()).isEqualTo(PartnerState.DEAD);
            List<Action> out = m.handle(new Input.LvsdFailed("Child process 42 exited with status 3"));
            assertThat(out).contains(new Action.RestartLvsd(Duration.ofSeconds(1))).doesNotContain(new Deactivate(false));
            assertThat(out.get(1)).asString().contains("the partner cannot take over (dead)");
            assertThat(m.active()).isTrue();
            assertThat(m.childFail()).isFalse();
        }

        @Test
        void lvsdDeathWhileTheActivePartnerIsHeardHandsOverAsPiranha() {
            FailoverMachine m = activeMachine(true);
            m.handle(running()); // dual active for a moment; we stay, it yields
            assertThat(m.handle(new Input.LvsdFailed("Child process 42 exited with status 3")))
                    .contains(new Deactivate(false)).noneMatch(a -> a instanceof Action.RestartLvsd);
            assertThat(m.childFail()).isTrue();
        }

        @Test
        void lvsdExitWhileColdStandbyIsIgnored() {
            FailoverMachine m = machine(true);
            assertThat(m.handle(new Input.LvsdFailed("Child process 42 exited with status 0"))).isEmpty();
            assertThat(m.childFail()).isFalse();
        }
    }

    /** lvsd_warm_standby (the default): lvsd stays ready on the standby, a takeover only moves addresses. */
    @Nested
    class WarmStandby {
        FailoverMachine warm(boolean primary) {
            return new FailoverMachine(new Settings(primary, true, DEAD, false, null, primary ? P : B, true), clock::get);
        }

        @Test
        void startUpKeepsLvsdReadyOnBothRoles() {
            assertThat(warm(true).handle(new Input.Start()))
                    .containsExactly(new Log("STARTING PULSE AS MASTER"), new Deactivate(true));
            assertThat(warm(false).handle(new Input.Start()))
                    .containsExactly(new Log("STARTING PULSE AS BACKUP"), new Deactivate(true));
        }

        @Test
        void standingDownLeavesLvsdRunning() {
            FailoverMachine m = warm(false);
            m.handle(new Input.Start());
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick()))
                    .containsExactlyElementsOf(activation("partner dead: activating lvs"));
            assertThat(m.handle(running())).containsExactly(
                    new Log("partner active: deactivating LVS"), new Deactivate(true), new SendHeartbeat());
        }

        @Test
        void lvsdDeathOnTheStandbyRestartsItWithBackoffAndStaysStandby() {
            FailoverMachine m = warm(false);
            m.handle(new Input.Start());
            m.handle(running());
            List<Action> first = m.handle(new Input.LvsdFailed("Child process 42 exited due to signal 9"));
            assertThat(first).containsExactly(new Log("Child process 42 exited due to signal 9"),
                    new Warn("the standby's lvsd failed: restarting lvsd in 1.0 s (restart 1)"),
                    new Action.RestartLvsd(Duration.ofSeconds(1)));
            advance(1500);
            assertThat(m.handle(new Input.LvsdFailed("Child process 43 exited with status 1")))
                    .contains(new Action.RestartLvsd(Duration.ofSeconds(2)));
            assertThat(m.active()).isFalse();
            assertThat(m.inhibited()).as("a standby's lvsd says nothing about the partner's service").isFalse();
            assertThat(m.transitions()).isEmpty();
            assertThat(m.lvsdRestarts()).isEqualTo(2);
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).as("it still takes over when the partner dies")
                    .contains(new Activate());
        }

        @Test
        void lvsdDeathOnTheActiveHandsOverAndKeepsAFreshLvsdReady() {
            FailoverMachine m = warm(true);
            m.handle(new Input.Start());
            m.handle(stopped());
            assertThat(m.active()).isTrue();
            assertThat(m.handle(new Input.LvsdFailed("Child process 42 exited with status 3")))
                    .containsExactly(new Log("Child process 42 exited with status 3"),
                            new Log("lvsd failed: deactivating LVS"), new Deactivate(true), new SendHeartbeat());
            assertThat(m.childFail()).isTrue();
        }
    }

    @Nested
    class Signals {
        @Test
        void terminateWhileActiveDeactivatesThenExits() {
            FailoverMachine m = activeMachine(false);
            assertThat(m.handle(new Input.Terminate(15))).containsExactly(new Log("Terminating due to signal 15"),
                    new Log("terminating: deactivating LVS"), new Deactivate(false), new SendHeartbeat(), new Exit(0));
        }

        @Test
        void terminateWithAWarmStandbyStopsLvsdRatherThanKeepingItReady() {
            // a warm standby keeps lvsd ready on deactivation; pulse going away must not start or wait for one
            FailoverMachine m = machine(new Settings(true, false, DEAD, false, null, P, true));
            assertThat(m.active()).isTrue();
            assertThat(m.handle(new Input.Terminate(15))).containsExactly(new Log("Terminating due to signal 15"),
                    new Log("terminating: deactivating LVS"), new Deactivate(false), new SendHeartbeat(), new Exit(0));
        }

        @Test
        void terminateWhileStandbyJustExits() {
            FailoverMachine m = machine(false);
            assertThat(m.handle(new Input.Terminate(2)))
                    .containsExactly(new Log("Terminating due to signal 2"), new Exit(0));
        }
    }

    @Nested
    class Preemption {
        @Test
        void returningPrimaryStaysStandbyByDefault() {
            FailoverMachine m = machine(true);
            for (int i = 0; i < 100; i++) {
                advance(200);
                assertThat(m.handle(running())).isEmpty();
                assertThat(m.handle(new Input.Tick())).isEmpty();
            }
            assertThat(m.active()).isFalse();
        }

        @Test
        void givebackDelayTakesOverAfterTheDelayOfContinuousRunning() {
            FailoverMachine m = machine(new Settings(true, true, DEAD, false, Duration.ofSeconds(2), P, false));
            m.handle(running());
            long since = clock.get();
            assertThat(m.nextDeadlineNanos()).isEqualTo(since + DEAD.toNanos());
            for (int i = 0; i < 9; i++) {
                advance(200);
                assertThat(m.handle(running())).isEmpty();
            }
            advance(200);
            assertThat(m.handle(running())).containsExactlyElementsOf(activation("giveback delay passed: activating lvs"));
        }

        @Test
        void givebackWaitsForAnUninhibitedPrimary() {
            FailoverMachine m = machine(new Settings(true, true, DEAD, false, Duration.ofMillis(400), P, false));
            m.handle(new Input.Links(Set.of("Primary")));
            m.handle(running());
            advance(500);
            assertThat(m.handle(running())).isEmpty();
            m.handle(new Input.Links(Set.of()));
            assertThat(m.handle(new Input.Tick())).contains(new Activate());
        }

        @Test
        void givebackNeverAppliesToTheBackup() {
            FailoverMachine m = machine(new Settings(false, true, DEAD, false, Duration.ofMillis(100), B, false));
            m.handle(running());
            advance(500);
            assertThat(m.handle(running())).isEmpty();
        }
    }

    @Nested
    class Races {
        @Test
        void simultaneousStartEndsWithThePrimaryAloneWithinOneKeepalive() {
            FailoverMachine p = machine(true);
            FailoverMachine b = machine(false);
            // both saw the other's start-up "stopped"
            p.handle(stopped());
            b.handle(stopped());
            assertThat(p.active()).isTrue();
            assertThat(b.active()).isTrue();
            // next heartbeat each way
            assertThat(b.handle(running())).contains(new Deactivate(false));
            assertThat(p.handle(running())).contains(new Reannounce());
            assertThat(p.handle(stopped())).contains(new Reannounce());
            assertThat(p.active()).isTrue();
            assertThat(b.active()).isFalse();
        }

        @Test
        void healedPartitionEndsWithThePrimaryAlone() {
            FailoverMachine p = activeMachine(true);
            FailoverMachine b = machine(false);
            b.handle(running());
            advance(DEAD.toMillis());
            p.handle(new Input.Tick());
            assertThat(b.handle(new Input.Tick())).contains(new Activate());
            assertThat(p.handle(running())).contains(new Reannounce());
            assertThat(b.handle(running())).contains(new Deactivate(false));
            assertThat(p.active()).isTrue();
            assertThat(b.active()).isFalse();
        }

        @Test
        void healWhereTheBackupYieldsFirstStillReannounces() {
            FailoverMachine p = activeMachine(true);
            advance(DEAD.toMillis());
            p.handle(new Input.Tick());
            assertThat(p.partner()).isEqualTo(PartnerState.DEAD);
            // the backup saw our "running" first and yielded: we only ever see its "stopped"
            assertThat(p.handle(stopped()))
                    .containsExactly(new Log("partner inactive: resending arps"), new Reannounce());
            assertThat(p.handle(stopped())).isEmpty();
        }

        @Test
        void transitionsAreRecordedWithReasons() {
            FailoverMachine m = activeMachine(false);
            m.handle(running());
            assertThat(m.transitions()).extracting(Transition::reason)
                    .containsExactly("primary inactive: activating lvs", "partner active: deactivating LVS");
        }
    }

    /** SIGHUP: new settings apply at once; the role is judged again without a start-up deactivation. */
    @Nested
    class Reload {
        Settings settings(boolean primary, boolean hasBackup, Duration deadtime) {
            return new Settings(primary, hasBackup, deadtime, false, null, primary ? P : B, false);
        }

        @Test
        void nothingChangedChangesNothing() {
            FailoverMachine m = activeMachine(true);
            assertThat(m.handle(new Input.Reconfigure(settings(true, true, DEAD), false))).isEmpty();
            assertThat(m.active()).isTrue();
        }

        @Test
        void aShorterDeadtimeCountsFromTheLastHeartbeat() {
            FailoverMachine m = machine(false);
            m.handle(running());
            advance(300);
            assertThat(m.handle(new Input.Reconfigure(settings(false, true, Duration.ofMillis(200)), false))).isEmpty();
            assertThat(m.nextDeadlineNanos()).isEqualTo(clock.get() - 100_000_000L);
            assertThat(m.handle(new Input.Tick())).containsExactlyElementsOf(activation("partner dead: activating lvs"));
        }

        @Test
        void aLongerDeadtimeDelaysPartnerDead() {
            FailoverMachine m = machine(false);
            m.handle(running());
            m.handle(new Input.Reconfigure(settings(false, true, Duration.ofSeconds(2)), false));
            advance(DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).isEmpty();
            advance(2000 - DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).contains(new Activate());
        }

        @Test
        void restartedHeartbeatsGiveThePartnerOneDeadtimeToFollow() {
            FailoverMachine m = machine(false);
            m.handle(running());
            advance(500);
            m.handle(new Input.Reconfigure(settings(false, true, DEAD), true));
            advance(DEAD.toMillis() - 1);
            assertThat(m.handle(new Input.Tick())).isEmpty();
            advance(1);
            assertThat(m.handle(new Input.Tick())).contains(new Activate());
        }

        @Test
        void anActiveBackupThatBecomesPrimaryStaysAndNowWinsADualActive() {
            FailoverMachine m = activeMachine(false);
            assertThat(m.handle(new Input.Reconfigure(settings(true, true, DEAD), false)))
                    .containsExactly(new Log("role changed: now primary"));
            assertThat(m.active()).isTrue();
            assertThat(m.handle(running())).containsExactly(new Log("partner active: resending arps"), new Reannounce());
            assertThat(m.settings().primary()).isTrue();
        }

        @Test
        void anActivePrimaryThatBecomesBackupYieldsToARunningPartner() {
            FailoverMachine m = activeMachine(true);
            m.handle(new Input.Reconfigure(settings(false, true, DEAD), false));
            assertThat(m.active()).isTrue(); // Piranha's no give-back: nothing happens without a contest
            assertThat(m.handle(running())).containsExactlyElementsOf(deactivation("partner active: deactivating LVS"));
        }

        @Test
        void aPrimaryWhoseBackupWentAwayActivatesAtOnce() {
            FailoverMachine m = machine(true);
            m.handle(running());
            assertThat(m.handle(new Input.Reconfigure(settings(true, false, DEAD), false)))
                    .containsExactlyElementsOf(activation("no backup configured: activating lvs"));
            assertThat(m.partner()).isEqualTo(PartnerState.NONE);
            advance(10 * DEAD.toMillis());
            assertThat(m.handle(new Input.Tick())).isEmpty();
            assertThat(m.nextDeadlineNanos() - clock.get()).isPositive();
        }

        @Test
        void aBackupLeftWithoutAPartnerReleasesAndExits() {
            FailoverMachine m = activeMachine(false);
            assertThat(m.handle(new Input.Reconfigure(settings(false, false, DEAD), false))).containsExactly(
                    new Log("BACKUP with backup_active = 0: pulse exiting"),
                    new Log("no partner to serve: deactivating LVS"), new Deactivate(false), new SendHeartbeat(),
                    new Exit(0));
        }

        @Test
        void aLonePrimaryGivenABackupWaitsForItsHeartbeats() {
            FailoverMachine m = machine(new Settings(true, false, DEAD, false, null, P, false));
            assertThat(m.active()).isTrue();
            assertThat(m.handle(new Input.Reconfigure(settings(true, true, DEAD), false))).isEmpty();
            assertThat(m.partner()).isEqualTo(PartnerState.UNKNOWN);
            assertThat(m.nextDeadlineNanos()).isEqualTo(clock.get() + DEAD.toNanos());
            assertThat(m.handle(stopped())).isEmpty(); // still the active one
        }

        @Test
        void aGivebackDelayAddedByReloadApplies() {
            FailoverMachine m = machine(true);
            m.handle(running());
            advance(1000);
            assertThat(m.handle(new Input.Reconfigure(new Settings(true, true, DEAD, false, Duration.ofMillis(500), P, false), false)))
                    .containsExactlyElementsOf(activation("giveback delay passed: activating lvs"));
        }
    }
}
