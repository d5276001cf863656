package piranha.pulse.heartbeat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import piranha.pulse.state.Action;
import piranha.pulse.state.FailoverMachine;
import piranha.pulse.state.Heartbeat;
import piranha.pulse.state.Input;
import piranha.pulse.state.PeerState;
import piranha.pulse.state.Settings;

/** The heartbeat thread's first act: nothing it does later is done for the first time at a takeover. */
final class WarmUp {
    private static final Logger LOG = Logger.getLogger("pulse");

    private WarmUp() {}

    /**
     * Runs every path of the codec and of a throwaway failover machine once before the first heartbeat,
     * so that loading and linking their classes (reading jars, under I/O contention: up to seconds)
     * happens now and not at a takeover.
     */
    static void run(FailoverMachine machine, HeartbeatCodec codec, HeartbeatCounters counters) {
        long[] clock = {0};
        for (boolean primary : new boolean[] {true, false}) {
            Settings s = machine.settings();
            FailoverMachine m = new FailoverMachine(new Settings(primary, true, Duration.ofSeconds(1), false,
                    Duration.ofSeconds(1), s.ownNode(), primary), () -> clock[0]); // both lvsd_warm_standby paths
            List<Action> all = new ArrayList<>(m.handle(new Input.Start()));
            for (PeerState st : PeerState.values()) {
                for (Boolean claim : new Boolean[] {null, true, false}) {
                    all.addAll(m.handle(new Input.PartnerHeartbeat(new Heartbeat(st, claim, 0))));
                    clock[0] += 2_000_000_000L;
                    all.addAll(m.handle(new Input.Tick()));
                }
            }
            all.addAll(m.handle(new Input.Links(Set.of("Primary"))));
            all.addAll(m.handle(new Input.Links(Set.of())));
            all.addAll(m.handle(new Input.PartnerHeartbeat(new Heartbeat(PeerState.STOPPED, null, 0))));
            all.addAll(m.handle(new Input.LvsdFailed("warm-up")));
            all.addAll(m.handle(new Input.LvsdFailed("warm-up"))); // now standby: the warm standby's restart
            all.addAll(m.handle(new Input.Reconfigure(m.settings(), true)));
            all.addAll(m.handle(new Input.TrackedChecks(Set.of("warm-up"))));
            all.addAll(m.handle(new Input.TrackedChecks(Set.of())));
            all.addAll(m.handle(new Input.PartnerServiceFailed("warm-up", false)));
            all.addAll(m.handle(new Input.ServiceFailed("warm-up")));
            all.addAll(m.handle(new Input.Terminate(15)));
            FailoverMachine lone = new FailoverMachine(new Settings(primary, false, Duration.ofSeconds(1), false,
                    null, s.ownNode(), s.lvsdOnStandby()), () -> clock[0]);
            all.addAll(lone.handle(new Input.Start()));
            all.addAll(lone.handle(new Input.LvsdFailed("warm-up"))); // no partner: lvsd is restarted
            lone.lvsdRestarts();
            m.transitions();
            m.nextDeadlineNanos();
            for (Action a : all) {
                if (!(a instanceof Action.Log || a instanceof Action.Warn || a instanceof Action.Activate
                        || a instanceof Action.Deactivate || a instanceof Action.SendHeartbeat
                        || a instanceof Action.Reannounce || a instanceof Action.Exit
                        || a instanceof Action.RestartLvsd || a instanceof Action.RequestStandDown)) {
                    throw new IllegalStateException("unknown action " + a);
                }
            }
        }
        for (PeerState st : PeerState.values()) {
            ByteBuffer b = codec.encode(st);
            codec.decode(b); // our own datagram: rejected (wrong node or accepted plain), never recorded
        }
        codec.decode(ByteBuffer.allocate(3));
        for (Rejection r : Rejection.values()) counters.reject(r);
        counters.rejected.clear();
        counters.snapshot();
        LOG.isLoggable(Level.FINE);
    }
}
