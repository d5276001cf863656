package piranha.pulse.heartbeat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import piranha.pulse.state.Heartbeat;
import piranha.pulse.state.PeerState;

/**
 * Piranha's heartbeat: a 4-byte magic. Sent little-endian, as Piranha on x86 sends it, so a mixed pair
 * works during a migration; accepted in either byte order.
 */
public final class PiranhaCodec implements HeartbeatCodec {
    private final boolean fos;

    /** LVS mode's magics. */
    public PiranhaCodec() {
        this(false);
    }

    /** @param fos service = fos: the FOS magics (running, stopped, stand down); the other mode's are incompatible */
    public PiranhaCodec(boolean fos) {
        this.fos = fos;
    }

    @Override
    public ByteBuffer encode(PeerState ownState) {
        Magic m = switch (ownState) {
            case RUNNING -> fos ? Magic.FOS_RUNNING : Magic.LVS_RUNNING;
            case STOPPED -> fos ? Magic.FOS_STOPPED : Magic.LVS_STOPPED;
            case STAND_DOWN -> Magic.FOS_TAKEOVER; // only FOS sends it; an LVS partner rejects it
        };
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(m.value);
        return b.flip();
    }

    @Override
    public Decoded decode(ByteBuffer datagram) {
        if ((datagram.remaining() == AuthenticatedCodec.LENGTH || datagram.remaining() == AuthenticatedCodec.LENGTH_WITH_CONFIG)
                && datagram.getInt(datagram.position()) == AuthenticatedCodec.MAGIC) {
            return Decoded.rejected(Rejection.WRONG_KEY);
        }
        if (datagram.remaining() != 4) return Decoded.rejected(Rejection.TRUNCATED);
        Magic m = Magic.of(datagram.getInt(datagram.position()));
        if (m == null) return Decoded.rejected(Rejection.INCOMPATIBLE);
        return switch (m) {
            case LVS_RUNNING -> fos ? incompatible() : Decoded.accepted(new Heartbeat(PeerState.RUNNING, null, 0));
            case LVS_STOPPED -> fos ? incompatible() : Decoded.accepted(new Heartbeat(PeerState.STOPPED, null, 0));
            case FOS_RUNNING -> fos ? Decoded.accepted(new Heartbeat(PeerState.RUNNING, null, 0)) : incompatible();
            case FOS_STOPPED -> fos ? Decoded.accepted(new Heartbeat(PeerState.STOPPED, null, 0)) : incompatible();
            case FOS_TAKEOVER -> fos ? Decoded.accepted(new Heartbeat(PeerState.STAND_DOWN, null, 0)) : incompatible();
            case HOLD, HELD -> Decoded.rejected(Rejection.IGNORED);
            default -> Decoded.rejected(Rejection.INCOMPATIBLE);
        };
    }

    private static Decoded incompatible() {
        return Decoded.rejected(Rejection.INCOMPATIBLE);
    }

    @Override
    public boolean authenticated() {
        return false;
    }
}
