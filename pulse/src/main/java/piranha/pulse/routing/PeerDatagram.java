package piranha.pulse.routing;

import java.net.Inet4Address;
import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import piranha.pulse.heartbeat.HeartbeatKey;

/**
 * The datagram active-active directors tell each other they are alive with ({@code director_peers}),
 * big-endian. Unsigned (no {@code heartbeat_key_file}), 12 bytes:
 *
 * <pre>
 *  0  u32  magic 0x50414150 ("PAAP")
 *  4  u32  the sender's address
 *  8  u32  flags (1: leaving)
 * </pre>
 *
 * Signed (with {@code heartbeat_key_file}, the pair's key, under a key derived for this use so that
 * neither MAC passes for the other), 60 bytes: the 12 above, the sender's epoch (u64, ms at its
 * start), a sequence (u64, +1 per datagram) and HMAC-SHA256 over bytes 0..27. A signed datagram
 * counts only if its (epoch, sequence) is above the last one counted from that sender: a recorded
 * one replayed, say a "leaving", changes nothing.
 */
final class PeerDatagram {
    static final int MAGIC = 0x50414150;
    static final int LEAVING = 1;
    static final int LENGTH = 12;
    static final int SIGNED_LENGTH = 60;
    private static final int SIGNED_PART = 28;
    static final String KEY_PURPOSE = "piranha director_peers";

    /** What a received datagram said: null from {@link #decode} when it does not count. */
    record Said(boolean leaving) {}

    private final Inet4Address self;
    private final Mac mac;
    private final long epoch;
    private long sequence;
    private final Map<Inet4Address, long[]> lastCounted = new HashMap<>();

    /** @param key the pair's heartbeat key, or null for unsigned datagrams */
    PeerDatagram(Inet4Address self, HeartbeatKey key, long epochMillis) {
        this.self = self;
        this.epoch = epochMillis;
        if (key == null) {
            this.mac = null;
            return;
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.derive(KEY_PURPOSE), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    boolean signed() {
        return mac != null;
    }

    ByteBuffer encode(int flags) {
        ByteBuffer b = ByteBuffer.allocate(mac == null ? LENGTH : SIGNED_LENGTH).putInt(MAGIC).put(self.getAddress()).putInt(flags);
        if (mac != null) {
            b.putLong(epoch).putLong(++sequence);
            mac.update(b.array(), 0, SIGNED_PART);
            b.put(mac.doFinal());
        }
        return b.flip();
    }

    /** The datagram from {@code from}, or null when it does not count (malformed, unsigned or forged, replayed). */
    Said decode(ByteBuffer in, Inet4Address from) {
        if (in.remaining() != (mac == null ? LENGTH : SIGNED_LENGTH) || in.getInt(in.position()) != MAGIC) return null;
        int flags = in.getInt(in.position() + 8);
        if (mac == null) return new Said((flags & LEAVING) != 0);
        byte[] whole = new byte[SIGNED_LENGTH];
        in.get(in.position(), whole);
        mac.update(whole, 0, SIGNED_PART);
        byte[] expected = mac.doFinal();
        byte[] got = java.util.Arrays.copyOfRange(whole, SIGNED_PART, SIGNED_LENGTH);
        if (!MessageDigest.isEqual(expected, got)) return null;
        ByteBuffer w = ByteBuffer.wrap(whole);
        long theirEpoch = w.getLong(12), theirSequence = w.getLong(20);
        long[] last = lastCounted.get(from);
        if (last != null && (theirEpoch < last[0] || (theirEpoch == last[0] && theirSequence <= last[1]))) return null;
        lastCounted.put(from, new long[] {theirEpoch, theirSequence});
        return new Said((flags & LEAVING) != 0);
    }
}
