package piranha.pulse.heartbeat;

import java.nio.ByteBuffer;
import piranha.pulse.state.PeerState;

/** Encodes our heartbeats and judges received ones. Not thread-safe: one heartbeat thread owns it. */
public interface HeartbeatCodec {

    /** The datagram announcing our state; a fresh buffer ready to send. */
    ByteBuffer encode(PeerState ownState);

    /** Judges one received datagram (position..limit). */
    Decoded decode(ByteBuffer datagram);

    /** True when heartbeats are signed. */
    boolean authenticated();
}
