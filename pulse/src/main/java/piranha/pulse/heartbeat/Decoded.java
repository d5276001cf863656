package piranha.pulse.heartbeat;

import piranha.pulse.state.Heartbeat;

/** Outcome of decoding one datagram: exactly one of heartbeat / rejection is set. */
public record Decoded(Heartbeat heartbeat, Rejection rejection) {
    public static Decoded accepted(Heartbeat h) {
        return new Decoded(h, null);
    }

    public static Decoded rejected(Rejection r) {
        return new Decoded(null, r);
    }

    public boolean isAccepted() {
        return heartbeat != null;
    }
}
