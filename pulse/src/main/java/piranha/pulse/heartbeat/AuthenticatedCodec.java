package piranha.pulse.heartbeat;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import piranha.pulse.state.Heartbeat;
import piranha.pulse.state.PeerState;

/**
 * Signed heartbeat, 64 bytes, network byte order:
 *
 * <pre>
 *  0  u32  magic 0x50554C53 ("PULS")
 *  4  u8   version (1)
 *  5  u8   state: 1 running, 2 stopped
 *  6  u8   role: 1 primary, 2 backup
 *  7  u8   reserved, 0
 *  8  u32  key id (fingerprint of the shared key)
 * 12  u32  node: the sender's public IPv4 address
 * 16  u64  epoch: the sender's start time, ms since 1970 (a restarted sender has a larger epoch)
 * 24  u64  sequence, +1 per datagram (each path gets its own)
 * 32  32B  HMAC-SHA256 over bytes 0..31
 * </pre>
 */
public final class AuthenticatedCodec implements HeartbeatCodec {
    public static final int MAGIC = 0x50554C53;
    public static final int LENGTH = 64;
    static final int VERSION = 1;
    private static final int SIGNED = 32;

    private final HeartbeatKey key;
    private final Mac mac;
    private final boolean ownPrimary;
    private final int ownNode;
    private final int partnerNode;
    private final long epoch;
    private long sequence;
    private final ReplayWindow window = new ReplayWindow();

    /**
     * @param ownNode     our public address as an int
     * @param partnerNode the partner's public address as an int; heartbeats naming anything else are dropped
     * @param epoch       our start time (ms since 1970)
     */
    public AuthenticatedCodec(HeartbeatKey key, boolean ownPrimary, int ownNode, int partnerNode, long epoch) {
        this.key = key;
        this.ownPrimary = ownPrimary;
        this.ownNode = ownNode;
        this.partnerNode = partnerNode;
        this.epoch = epoch;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public ByteBuffer encode(PeerState ownState) {
        ByteBuffer b = ByteBuffer.allocate(LENGTH);
        b.putInt(MAGIC).put((byte) VERSION)
                .put((byte) (ownState == PeerState.RUNNING ? 1 : ownState == PeerState.STOPPED ? 2 : 3))
                .put((byte) (ownPrimary ? 1 : 2)).put((byte) 0)
                .putInt(key.id()).putInt(ownNode).putLong(epoch).putLong(++sequence);
        mac.update(b.array(), 0, SIGNED);
        b.put(mac.doFinal());
        return b.flip();
    }

    @Override
    public Decoded decode(ByteBuffer datagram) {
        int len = datagram.remaining();
        if (len == 4) return Decoded.rejected(Rejection.UNAUTHENTICATED);
        if (len < 4 || datagram.getInt(datagram.position()) != MAGIC) {
            return Decoded.rejected(len < LENGTH ? Rejection.TRUNCATED : Rejection.INCOMPATIBLE);
        }
        if (len != LENGTH) return Decoded.rejected(Rejection.TRUNCATED);
        byte[] p = new byte[LENGTH];
        datagram.duplicate().get(p);
        ByteBuffer b = ByteBuffer.wrap(p);
        if (b.get(4) != VERSION) return Decoded.rejected(Rejection.INCOMPATIBLE);
        if (b.getInt(8) != key.id()) return Decoded.rejected(Rejection.WRONG_KEY);
        mac.update(p, 0, SIGNED);
        byte[] expected = mac.doFinal();
        byte[] got = new byte[32];
        b.get(SIGNED, got);
        if (!MessageDigest.isEqual(expected, got)) return Decoded.rejected(Rejection.FORGED);
        int state = b.get(5);
        int role = b.get(6);
        if (state < 1 || state > 3 || (role != 1 && role != 2)) {
            return Decoded.rejected(Rejection.INCOMPATIBLE);
        }
        int node = b.getInt(12);
        if (node != partnerNode) return Decoded.rejected(Rejection.WRONG_NODE);
        if (!window.accept(b.getLong(16), b.getLong(24))) return Decoded.rejected(Rejection.REPLAYED);
        return Decoded.accepted(new Heartbeat(state == 1 ? PeerState.RUNNING
                : state == 2 ? PeerState.STOPPED : PeerState.STAND_DOWN, role == 1, node));
    }

    @Override
    public boolean authenticated() {
        return true;
    }
}
