package piranha.pulse.heartbeat;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import piranha.pulse.config.ConfigStamp;
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
 *
 * Version 2 (104 bytes) also says which lvs.cf the sender runs, so each director knows whether the
 * partner's copy differs from its own (pulse/README.md, "Config sync"):
 *
 * <pre>
 *  0  32B  as version 1, with version 2
 * 32  u64  serial_no of the sender's lvs.cf
 * 40  32B  SHA-256 of its bytes
 * 72  32B  HMAC-SHA256 over bytes 0..71
 * </pre>
 *
 * A codec given its own stamp sends version 2, one without sends version 1; both are accepted.
 */
public final class AuthenticatedCodec implements HeartbeatCodec {
    public static final int MAGIC = 0x50554C53;
    public static final int LENGTH = 64;
    /** Version 2: version 1 with the sender's lvs.cf stamp. */
    public static final int LENGTH_WITH_CONFIG = 104;
    static final int VERSION = 1;
    static final int VERSION_WITH_CONFIG = 2;
    private static final int SIGNED = 32;
    private static final int SIGNED_WITH_CONFIG = 72;

    private final HeartbeatKey key;
    private final Mac mac;
    private final boolean ownPrimary;
    private final int ownNode;
    private final int partnerNode;
    private final long epoch;
    private long sequence;
    private final ConfigStamp ownConfig;
    private final ReplayWindow window = new ReplayWindow();

    /**
     * @param ownNode     our public address as an int
     * @param partnerNode the partner's public address as an int; heartbeats naming anything else are dropped
     * @param epoch       our start time (ms since 1970)
     */
    public AuthenticatedCodec(HeartbeatKey key, boolean ownPrimary, int ownNode, int partnerNode, long epoch) {
        this(key, ownPrimary, ownNode, partnerNode, epoch, null);
    }

    /** @param ownConfig the lvs.cf this director runs, sent in every heartbeat (version 2); null: version 1 */
    public AuthenticatedCodec(HeartbeatKey key, boolean ownPrimary, int ownNode, int partnerNode, long epoch,
                              ConfigStamp ownConfig) {
        this.ownConfig = ownConfig;
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
        boolean withConfig = ownConfig != null;
        ByteBuffer b = ByteBuffer.allocate(withConfig ? LENGTH_WITH_CONFIG : LENGTH);
        b.putInt(MAGIC).put((byte) (withConfig ? VERSION_WITH_CONFIG : VERSION))
                .put((byte) (ownState == PeerState.RUNNING ? 1 : ownState == PeerState.STOPPED ? 2 : 3))
                .put((byte) (ownPrimary ? 1 : 2)).put((byte) 0)
                .putInt(key.id()).putInt(ownNode).putLong(epoch).putLong(++sequence);
        if (withConfig) b.putLong(ownConfig.serial()).put(ownConfig.digest());
        mac.update(b.array(), 0, withConfig ? SIGNED_WITH_CONFIG : SIGNED);
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
        if (len != LENGTH && len != LENGTH_WITH_CONFIG) return Decoded.rejected(Rejection.TRUNCATED);
        byte[] p = new byte[len];
        datagram.duplicate().get(p);
        ByteBuffer b = ByteBuffer.wrap(p);
        int version = b.get(4);
        if (version != (len == LENGTH ? VERSION : VERSION_WITH_CONFIG)) return Decoded.rejected(Rejection.INCOMPATIBLE);
        if (b.getInt(8) != key.id()) return Decoded.rejected(Rejection.WRONG_KEY);
        int signed = len == LENGTH ? SIGNED : SIGNED_WITH_CONFIG;
        mac.update(p, 0, signed);
        byte[] expected = mac.doFinal();
        byte[] got = new byte[32];
        b.get(signed, got);
        if (!MessageDigest.isEqual(expected, got)) return Decoded.rejected(Rejection.FORGED);
        int state = b.get(5);
        int role = b.get(6);
        if (state < 1 || state > 3 || (role != 1 && role != 2)) {
            return Decoded.rejected(Rejection.INCOMPATIBLE);
        }
        int node = b.getInt(12);
        if (node != partnerNode) return Decoded.rejected(Rejection.WRONG_NODE);
        if (!window.accept(b.getLong(16), b.getLong(24))) return Decoded.rejected(Rejection.REPLAYED);
        Heartbeat h = new Heartbeat(state == 1 ? PeerState.RUNNING
                : state == 2 ? PeerState.STOPPED : PeerState.STAND_DOWN, role == 1, node);
        if (version == VERSION) return Decoded.accepted(h);
        byte[] digest = new byte[ConfigStamp.DIGEST_LENGTH];
        b.get(40, digest);
        return Decoded.accepted(h, new ConfigStamp(b.getLong(32), digest));
    }

    @Override
    public boolean authenticated() {
        return true;
    }
}
