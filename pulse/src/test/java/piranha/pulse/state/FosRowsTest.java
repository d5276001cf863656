package piranha.pulse.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import piranha.pulse.state.Action.Activate;
import piranha.pulse.state.Action.Deactivate;
import piranha.pulse.state.Action.Log;
import piranha.pulse.state.Action.RequestStandDown;
import piranha.pulse.state.Action.SendHeartbeat;
import piranha.pulse.state.Action.Warn;

/**
 * The rows of failover services (service = fos) and of tracked checks: an own service that fails
 * (start failure, check failure, child death), a stand-down asked by the partner, the standby's probe
 * of the partner with and without its gateway, and tracked checks failing and recovering.
 */
class FosRowsTest {
    static final Duration DEAD = Duration.ofMillis(600);
    final AtomicLong clock = new AtomicLong(1_000_000_000L);

    FailoverMachine machine(boolean primary, boolean hasBackup) {
        FailoverMachine m = new FailoverMachine(new Settings(primary, hasBackup, DEAD, false, null, primary ? 1 : 2, false),
                clock::get);
        m.handle(new Input.Start());
        return m;
    }

    static Input hb(PeerState s) {
        return new Input.PartnerHeartbeat(new Heartbeat(s, null, 0));
    }

    FailoverMachine activeWithStandbyPartner() {
        FailoverMachine m = machine(true, true);
        m.handle(hb(PeerState.STOPPED));
        assertThat(m.active()).isTrue();
        return m;
    }

    FailoverMachine standbyWithActivePartner() {
        FailoverMachine m = machine(false, true);
        m.handle(hb(PeerState.RUNNING));
        assertThat(m.active()).isFalse();
        return m;
    }

    @Test
    void startFailureHandsOverAndStaysOut() {
        FailoverMachine m = activeWithStandbyPartner();
        String why = "failover web: start_cmd /usr/sbin/nginx failed: exit status 1";
        assertThat(m.handle(new Input.ServiceFailed(why))).containsExactly(new Warn(why),
                new Log("failover service failed: deactivating lvs"), new Deactivate(false), new SendHeartbeat());
        assertThat(m.active()).isFalse();
        assertThat(m.eligible()).isFalse();
        // the partner stays standby for a moment: we do not take the service back by ourselves
        assertThat(m.handle(hb(PeerState.STOPPED))).isEmpty();
        clock.addAndGet(DEAD.toNanos() * 2);
        assertThat(m.handle(new Input.Tick())).isEmpty();
        assertThat(m.active()).isFalse();
    }

    @Test
    void checkFailureHandsOverAndPartnerCarryingClearsIt() {
        FailoverMachine m = activeWithStandbyPartner();
        m.handle(new Input.ServiceFailed("failover web: check failed 1 time(s): connection refused"));
        assertThat(m.active()).isFalse();
        // the partner took over: a later failure of the partner may bring the service back here
        assertThat(m.handle(hb(PeerState.RUNNING))).isEmpty();
        assertThat(m.eligible()).isTrue();
        assertThat(m.handle(hb(PeerState.STOPPED)))
                .containsExactly(new Log("backup inactive: activating lvs"), new Activate(), new SendHeartbeat());
    }

    @Test
    void childDeathWithoutPartnerStaysActive() {
        FailoverMachine m = machine(true, false);
        assertThat(m.active()).isTrue();
        List<Action> out = m.handle(new Input.ServiceFailed("failover web: start_cmd exited with status 0"));
        assertThat(out).containsExactly(new Warn("failover web: start_cmd exited with status 0"),
                new Warn("no partner can take over (none): staying active"));
        assertThat(m.active()).isTrue();
    }

    @Test
    void childDeathWithDeadPartnerStaysActiveThenHandsOverWhenThePartnerIsHeard() {
        FailoverMachine m = activeWithStandbyPartner();
        clock.addAndGet(DEAD.toNanos());
        m.handle(new Input.Tick());
        assertThat(m.partner()).isEqualTo(PartnerState.DEAD);
        m.handle(new Input.ServiceFailed("failover web: start_cmd killed by signal 9"));
        assertThat(m.active()).isTrue();
        assertThat(m.handle(hb(PeerState.STOPPED))).containsExactly(
                new Log("partner can take over: deactivating lvs"), new Deactivate(false), new SendHeartbeat());
    }

    @Test
    void standDownReceivedDeactivatesAndKeepsOut() {
        FailoverMachine m = activeWithStandbyPartner();
        assertThat(m.handle(hb(PeerState.STAND_DOWN))).containsExactly(
                new Log("partner asked us to stand down: deactivating lvs"), new Deactivate(false), new SendHeartbeat());
        assertThat(m.handle(hb(PeerState.STOPPED))).isEmpty();
        // at a standby it means nothing
        FailoverMachine s = standbyWithActivePartner();
        assertThat(s.handle(hb(PeerState.STAND_DOWN))).isEmpty();
    }

    @Test
    void probeFailureWithGatewayAsksThePartnerAndTakesOverAtItsStopped() {
        FailoverMachine m = standbyWithActivePartner();
        assertThat(m.handle(new Input.PartnerServiceFailed("probe of web 198.51.100.10:80 failed", true)))
                .containsExactly(new Log("probe of web 198.51.100.10:80 failed: asking partner to stand down"),
                        new RequestStandDown());
        assertThat(m.active()).isFalse(); // never both active: wait for the partner's "stopped"
        assertThat(m.handle(hb(PeerState.STOPPED)))
                .containsExactly(new Log("primary inactive: activating lvs"), new Activate(), new SendHeartbeat());
    }

    @Test
    void gatewayUnreachableStaysPassive() {
        FailoverMachine m = standbyWithActivePartner();
        assertThat(m.handle(new Input.PartnerServiceFailed("probe of web failed", false))).containsExactly(
                new Warn("probe of web failed; default gateway unreachable: network fault, staying passive"));
        assertThat(m.active()).isFalse();
    }

    @Test
    void probeFailureAtAnActiveOrIneligibleDirectorIsIgnored() {
        FailoverMachine m = activeWithStandbyPartner();
        assertThat(m.handle(new Input.PartnerServiceFailed("probe failed", true))).isEmpty();
        FailoverMachine s = standbyWithActivePartner();
        s.handle(new Input.TrackedChecks(Set.of("haproxy")));
        assertThat(s.handle(new Input.PartnerServiceFailed("probe failed", true))).isEmpty();
    }

    @Test
    void trackedCheckFailingHandsOverAndRecoveryWaitsForGiveBackPolicy() {
        FailoverMachine m = activeWithStandbyPartner();
        assertThat(m.handle(new Input.TrackedChecks(Set.of("haproxy", "api")))).containsExactly(
                new Warn("tracked check failed: api, haproxy"),
                new Log("tracked check failed: deactivating lvs"), new Deactivate(false), new SendHeartbeat());
        // partner took over: unlike a failover service, a failing tracked check keeps us out
        m.handle(hb(PeerState.RUNNING));
        assertThat(m.eligible()).isFalse();
        assertThat(m.handle(hb(PeerState.STOPPED))).isEmpty();
        // partner stopped and ours recovered: nobody carries the service, take it
        assertThat(m.handle(new Input.TrackedChecks(Set.of()))).containsExactly(new Log("tracked checks healthy"),
                new Log("tracked checks healthy: activating lvs"), new Activate(), new SendHeartbeat());
    }

    @Test
    void trackedRecoveryLeavesARunningPartnerActive() {
        FailoverMachine m = activeWithStandbyPartner();
        m.handle(new Input.TrackedChecks(Set.of("haproxy")));
        m.handle(hb(PeerState.RUNNING));
        assertThat(m.handle(new Input.TrackedChecks(Set.of()))).containsExactly(new Log("tracked checks healthy"));
        assertThat(m.active()).isFalse();
    }

    @Test
    void anIneligibleActiveYieldsToARunningPartnerEvenAsPrimary() {
        FailoverMachine m = machine(true, false);
        m.handle(new Input.TrackedChecks(Set.of("haproxy")));
        assertThat(m.active()).isTrue(); // no partner: stays
        FailoverMachine p = activeWithStandbyPartner();
        clock.addAndGet(DEAD.toNanos());
        p.handle(new Input.Tick());
        p.handle(new Input.TrackedChecks(Set.of("haproxy")));
        assertThat(p.active()).isTrue(); // partner dead: stays
        assertThat(p.handle(hb(PeerState.RUNNING)))
                .containsExactly(new Log("partner active: deactivating LVS"), new Deactivate(false), new SendHeartbeat());
    }
}
