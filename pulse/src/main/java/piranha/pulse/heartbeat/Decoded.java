package piranha.pulse.heartbeat;

import piranha.pulse.config.ConfigStamp;
import piranha.pulse.state.Heartbeat;

/**
 * Outcome of decoding one datagram: exactly one of heartbeat / rejection is set. An accepted signed
 * heartbeat of version 2 also says which lvs.cf its sender runs ({@code config}, else null).
 */
public record Decoded(Heartbeat heartbeat, Rejection rejection, ConfigStamp config) {
    public static Decoded accepted(Heartbeat h) {
        return new Decoded(h, null, null);
    }

    public static Decoded accepted(Heartbeat h, ConfigStamp config) {
        return new Decoded(h, null, config);
    }

    public static Decoded rejected(Rejection r) {
        return new Decoded(null, r, null);
    }

    public boolean isAccepted() {
        return heartbeat != null;
    }
}
