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

    @Override
    public ByteBuffer encode(PeerState ownState) {
        Magic m = ownState == PeerState.RUNNING ? Magic.LVS_RUNNING : Magic.LVS_STOPPED;
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(m.value);
        return b.flip();
    }

    @Override
    public Decoded decode(ByteBuffer datagram) {
        if (datagram.remaining() == AuthenticatedCodec.LENGTH
                && datagram.getInt(datagram.position()) == AuthenticatedCodec.MAGIC) {
            return Decoded.rejected(Rejection.WRONG_KEY);
        }
        if (datagram.remaining() != 4) return Decoded.rejected(Rejection.TRUNCATED);
        Magic m = Magic.of(datagram.getInt(datagram.position()));
        if (m == null) return Decoded.rejected(Rejection.INCOMPATIBLE);
        return switch (m) {
            case LVS_RUNNING -> Decoded.accepted(new Heartbeat(PeerState.RUNNING, null, 0));
            case LVS_STOPPED -> Decoded.accepted(new Heartbeat(PeerState.STOPPED, null, 0));
            case HOLD, HELD -> Decoded.rejected(Rejection.IGNORED);
            default -> Decoded.rejected(Rejection.INCOMPATIBLE);
        };
    }

    @Override
    public boolean authenticated() {
        return false;
    }
}
