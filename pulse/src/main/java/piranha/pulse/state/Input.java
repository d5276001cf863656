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
}
