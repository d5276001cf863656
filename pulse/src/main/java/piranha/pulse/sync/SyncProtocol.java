package piranha.pulse.sync;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.heartbeat.HeartbeatKey;

/**
 * The frames of the lvs.cf sync channel and their MACs (pulse/README.md, "Config sync"). One TCP
 * connection carries one exchange, network byte order:
 *
 * <pre>
 * receiver → sender  challenge  "PSYC" u8 version 1, u32 key id, 16B nonce
 * sender → receiver  offer      "PSYO" u8 version 1, u32 key id, u64 serial_no, 32B SHA-256 of the body,
 *                               u32 length, body (lvs.cf's bytes), 32B MAC
 *                               ("PSYI": the same with lvsd.state's bytes, the operator's intent, and
 *                               the time it was sent, ms since 1970, as its serial)
 * receiver → sender  reply      "PSYR" u8 version 1, u8 accepted (1) or refused (0), u16 length,
 *                               reason (UTF-8), 32B MAC
 * </pre>
 *
 * Each MAC is HMAC-SHA256, under a key derived from the heartbeat key for this use only, over the
 * frame's name ("offer", "reply"), the receiver's nonce and every byte of the frame before the MAC.
 * The nonce makes each offer good for one connection (a recorded one cannot be played again) and
 * binds the reply to the offer it answers.
 */
public final class SyncProtocol {
    static final int CHALLENGE = 0x50535943; // PSYC
    static final int OFFER = 0x5053594F; // PSYO
    static final int INTENT_OFFER = 0x50535949; // PSYI
    static final int REPLY = 0x50535952; // PSYR
    static final int VERSION = 1;
    public static final int NONCE_LENGTH = 16;
    static final int MAC_LENGTH = 32;
    /** The largest lvs.cf sent: far above what pulse's heap reads (about 2 MB), far below a flood. */
    public static final int MAX_BODY = 16 * 1024 * 1024;
    static final int MAX_REASON = 8192;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What an offer carries. */
    public enum Kind {
        /** lvs.cf; serial: its serial_no. */
        LVS_CF(OFFER, "lvs.cf"),
        /** lvsd.state, the operator's drains and forced states; serial: when it was sent (ms). */
        INTENTS(INTENT_OFFER, "operator intent");

        final int magic;
        public final String what;

        Kind(int magic, String what) {
            this.magic = magic;
            this.what = what;
        }
    }

    /** What the sender offers: lvs.cf's serial_no and bytes, or lvsd.state's. */
    public record Offer(Kind kind, long serial, byte[] body) {
        public Offer(long serial, byte[] body) {
            this(Kind.LVS_CF, serial, body);
        }
    }

    /** The receiver's answer. */
    public record Reply(boolean accepted, String reason) {}

    /** A frame that is not what the protocol allows, or fails its MAC; the message says which. */
    public static final class Violation extends IOException {
        public Violation(String message) {
            super(message);
        }
    }

    private final int keyId;
    private final SecretKeySpec macKey;

    public SyncProtocol(HeartbeatKey key) {
        this.keyId = key.id();
        this.macKey = new SecretKeySpec(key.derive("piranha pulse lvs.cf sync v1"), "HmacSHA256");
    }

    public static byte[] nonce() {
        byte[] n = new byte[NONCE_LENGTH];
        RANDOM.nextBytes(n);
        return n;
    }

    public byte[] challenge(byte[] nonce) {
        return ByteBuffer.allocate(9 + NONCE_LENGTH).putInt(CHALLENGE).put((byte) VERSION).putInt(keyId).put(nonce).array();
    }

    /** The nonce of the receiver's challenge. */
    public byte[] readChallenge(DataInputStream in) throws IOException {
        expect(in, CHALLENGE, "challenge");
        int theirs = in.readInt();
        byte[] nonce = new byte[NONCE_LENGTH];
        in.readFully(nonce);
        checkKeyId(theirs, "the partner's");
        return nonce;
    }

    public byte[] offer(byte[] nonce, Offer offer) {
        byte[] body = offer.body();
        ByteBuffer b = ByteBuffer.allocate(53 + body.length + MAC_LENGTH);
        b.putInt(offer.kind().magic).put((byte) VERSION).putInt(keyId).putLong(offer.serial()).put(ConfigStamp.sha256(body))
                .putInt(body.length).put(body);
        b.put(mac("offer", nonce, b.array(), b.position()));
        return b.array();
    }

    /**
     * Reads an offer and proves it: the key, the MAC, the digest.
     *
     * @throws Violation with the reason to send back and log
     */
    public Offer readOffer(DataInputStream in, byte[] nonce) throws IOException {
        Kind kind = expectOffer(in);
        checkKeyId(in.readInt(), "the sender's");
        long serial = in.readLong();
        byte[] digest = new byte[ConfigStamp.DIGEST_LENGTH];
        in.readFully(digest);
        int length = in.readInt();
        if (length < 0 || length > MAX_BODY) {
            throw new Violation("lvs.cf of " + Integer.toUnsignedString(length) + " bytes is over the limit of " + MAX_BODY);
        }
        byte[] frame = new byte[53 + length];
        ByteBuffer.wrap(frame).putInt(kind.magic).put((byte) VERSION).putInt(keyId).putLong(serial).put(digest).putInt(length);
        in.readFully(frame, 53, length);
        byte[] got = new byte[MAC_LENGTH];
        in.readFully(got);
        if (!MessageDigest.isEqual(mac("offer", nonce, frame, frame.length), got)) {
            throw new Violation("bad MAC: the file was changed on the way or signed with another key");
        }
        byte[] body = java.util.Arrays.copyOfRange(frame, 53, frame.length);
        if (!MessageDigest.isEqual(digest, ConfigStamp.sha256(body))) {
            throw new Violation("the SHA-256 of the file does not match the digest its sender signed");
        }
        return new Offer(kind, serial, body);
    }

    public byte[] reply(byte[] nonce, Reply reply) {
        byte[] reason = truncate(reply.reason());
        ByteBuffer b = ByteBuffer.allocate(8 + reason.length + MAC_LENGTH);
        b.putInt(REPLY).put((byte) VERSION).put((byte) (reply.accepted() ? 1 : 0)).putShort((short) reason.length).put(reason);
        b.put(mac("reply", nonce, b.array(), b.position()));
        return b.array();
    }

    /** Reads the receiver's reply to the offer made under {@code nonce}; one failing its MAC is a Violation. */
    public Reply readReply(DataInputStream in, byte[] nonce) throws IOException {
        expect(in, REPLY, "reply");
        int accepted = in.readUnsignedByte();
        int length = in.readUnsignedShort();
        if (accepted > 1 || length > MAX_REASON) throw new Violation("malformed reply");
        byte[] frame = new byte[8 + length];
        ByteBuffer.wrap(frame).putInt(REPLY).put((byte) VERSION).put((byte) accepted).putShort((short) length);
        in.readFully(frame, 8, length);
        byte[] got = new byte[MAC_LENGTH];
        in.readFully(got);
        if (!MessageDigest.isEqual(mac("reply", nonce, frame, frame.length), got)) {
            throw new Violation("the partner's reply fails its MAC: not the partner, or another key");
        }
        return new Reply(accepted == 1, new String(frame, 8, length, StandardCharsets.UTF_8));
    }

    private static Kind expectOffer(DataInputStream in) throws IOException {
        int got;
        try {
            got = in.readInt();
        } catch (EOFException e) {
            throw new Violation("connection closed before the offer");
        }
        Kind kind = got == OFFER ? Kind.LVS_CF : got == INTENT_OFFER ? Kind.INTENTS : null;
        if (kind == null) throw new Violation("not a pulse lvs.cf sync offer");
        version(in);
        return kind;
    }

    private static void version(DataInputStream in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != VERSION) throw new Violation("lvs.cf sync version " + version + " is not supported (this pulse speaks "
                + VERSION + ")");
    }

    private static void expect(DataInputStream in, int magic, String what) throws IOException {
        int got;
        try {
            got = in.readInt();
        } catch (EOFException e) {
            throw new Violation("connection closed before the " + what);
        }
        if (got != magic) throw new Violation("not a pulse lvs.cf sync " + what);
        int version = in.readUnsignedByte();
        if (version != VERSION) throw new Violation("lvs.cf sync version " + version + " is not supported (this pulse speaks "
                + VERSION + ")");
    }

    private void checkKeyId(int theirs, String whose) throws Violation {
        if (theirs != keyId) {
            throw new Violation(whose + " heartbeat key differs from this director's (key id "
                    + Integer.toHexString(theirs) + ", here " + Integer.toHexString(keyId) + ")");
        }
    }

    private byte[] mac(String frame, byte[] nonce, byte[] bytes, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            mac.update(frame.getBytes(StandardCharsets.US_ASCII));
            mac.update(nonce);
            mac.update(bytes, 0, length);
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] truncate(String reason) {
        byte[] b = reason.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_REASON) return b;
        return java.util.Arrays.copyOf(b, MAX_REASON); // a cut UTF-8 sequence decodes as U+FFFD: fine for a log line
    }
}
