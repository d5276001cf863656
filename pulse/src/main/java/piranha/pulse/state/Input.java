package piranha.pulse.state;

import java.util.Set;

/** Everything that can move the failover state machine. */
public sealed interface Input {

    /** pulse has started (sockets bound). */
    record Start() implements Input {}

    /** A valid heartbeat from the partner, on either path. */
    record PartnerHeartbeat(Heartbeat heartbeat) implements Input {}

    /** Time passed; the machine checks its own deadlines against the injected clock. */
    record Tick() implements Input {}

    /**
     * This director's heartbeat thread could not run for a while (it woke well after the time it
     * asked for: the host or the hypervisor did not schedule it). What the partner sent in
     * that time may still be on its way (on a shared host the partner was held up as well), so a
     * partner-dead deadline that would pass within {@code graceNanos} (one keepalive) moves to
     * {@code graceNanos} from now, once per silence: a partner heard again re-arms it.
     */
    record HeldUp(long graceNanos) implements Input {}

    /** Current link state: the names ("Primary", "Private") of the local NICs whose link is down. */
    record Links(Set<String> down) implements Input {}

    /** lvsd exited, or never became ready; the text says how (logged as is). */
    record LvsdFailed(String how) implements Input {}

    /** SIGTERM or SIGINT. */
    record Terminate(int signal) implements Input {}

    /**
     * SIGHUP with a new lvs.cf: new settings (role, backup, deadtime, give-back); heartbeatRestarted when
     * the heartbeat sockets were bound anew (port or addresses changed), so the partner, which moves at
     * its own SIGHUP, gets one deadtime to follow before it is declared dead.
     */
    record Reconfigure(Settings settings, boolean heartbeatRestarted) implements Input {}

    /**
     * One of this director's failover services failed: its start_cmd could not start or died, or its
     * check failed fall times in a row. The text says
     * which (logged as is). As Piranha's CHILDFAIL: the director hands over and does not activate by
     * itself until the partner has carried the service (a standby does not run the services, so it
     * cannot tell by itself that they would work again).
     */
    record ServiceFailed(String why) implements Input {}

    /**
     * The tracked checks (lvs.cf {@code track}, LVS mode): the names of those failing now, empty when
     * all pass. While one fails the director is not eligible to be active.
     */
    record TrackedChecks(java.util.Set<String> failing) implements Input {}

    /**
     * The standby's probe of a partner's service on its VIP failed ({@code fos --monitor}); whether
     * our own default gateway answered decides whether the fault is the partner's or our network's.
     */
    record PartnerServiceFailed(String why, boolean gatewayReachable) implements Input {}
}
