package piranha.pulse.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import piranha.pulse.config.ConfigStamp;
import piranha.pulse.heartbeat.HeartbeatKey;

/** The sync channel's frames: what passes, and every way a changed or foreign frame is refused. */
class SyncProtocolTest {
    private final HeartbeatKey key = new HeartbeatKey("sync test key, long enough".getBytes(StandardCharsets.US_ASCII));
    private final SyncProtocol p = new SyncProtocol(key);
    private final byte[] body = "serial_no = 9\nprimary = 198.51.100.11\n".getBytes(StandardCharsets.US_ASCII);

    private static DataInputStream in(byte[] b) {
        return new DataInputStream(new ByteArrayInputStream(b));
    }

    @Test
    void anOfferAndItsReplyGoThrough() throws Exception {
        byte[] nonce = SyncProtocol.nonce();
        assertThat(p.readChallenge(in(p.challenge(nonce)))).isEqualTo(nonce);
        byte[] frame = p.offer(nonce, new SyncProtocol.Offer(9, body));
        assertThat(frame).hasSize(53 + body.length + 32);
        SyncProtocol.Offer got = p.readOffer(in(frame), nonce);
        assertThat(got.serial()).isEqualTo(9);
        assertThat(got.body()).isEqualTo(body);
        // the digest the sender signed is the file's SHA-256
        byte[] digest = new byte[32];
        System.arraycopy(frame, 17, digest, 0, 32);
        assertThat(digest).isEqualTo(ConfigStamp.sha256(body));
        SyncProtocol.Reply r = p.readReply(in(p.reply(nonce, new SyncProtocol.Reply(false, "serial_no 9 is not newer"))), nonce);
        assertThat(r).isEqualTo(new SyncProtocol.Reply(false, "serial_no 9 is not newer"));
    }

    @Test
    void everyChangedByteOfAnOfferIsRefused() {
        byte[] nonce = SyncProtocol.nonce();
        byte[] frame = p.offer(nonce, new SyncProtocol.Offer(9, body));
        for (int i = 9; i < frame.length; i++) {
            if (i >= 49 && i < 53) continue; // the length: a different framing, below
            byte[] t = frame.clone();
            t[i] ^= 0x20;
            assertThatThrownBy(() -> p.readOffer(in(t), nonce)).as("byte " + i)
                    .isInstanceOf(SyncProtocol.Violation.class).hasMessageContaining("bad MAC");
        }
    }

    @Test
    void aRecordedOfferDoesNotPassUnderAnotherNonce() {
        byte[] recorded = p.offer(SyncProtocol.nonce(), new SyncProtocol.Offer(9, body));
        assertThatThrownBy(() -> p.readOffer(in(recorded), SyncProtocol.nonce())).hasMessageContaining("bad MAC");
    }

    @Test
    void anotherKeyIsNamedAsSuch() {
        SyncProtocol other = new SyncProtocol(new HeartbeatKey("a different key, long enough".getBytes(StandardCharsets.US_ASCII)));
        byte[] nonce = SyncProtocol.nonce();
        assertThatThrownBy(() -> p.readOffer(in(other.offer(nonce, new SyncProtocol.Offer(9, body))), nonce))
                .hasMessageContaining("heartbeat key differs");
        assertThatThrownBy(() -> other.readChallenge(in(p.challenge(nonce)))).hasMessageContaining("heartbeat key differs");
        // a reply from a holder of another key (its key id is not in the reply: the MAC fails)
        assertThatThrownBy(() -> p.readReply(in(other.reply(nonce, new SyncProtocol.Reply(true, "ok"))), nonce))
                .hasMessageContaining("fails its MAC");
    }

    @Test
    void aHeartbeatMacIsNotASyncMac() {
        // the sync key is derived for its use: it is neither the secret nor its heartbeat fingerprint
        assertThat(key.derive("piranha pulse lvs.cf sync v1")).hasSize(32)
                .isNotEqualTo(key.derive("another use"));
    }

    @Test
    void malformedFramesAreNamed() {
        byte[] nonce = SyncProtocol.nonce();
        byte[] frame = p.offer(nonce, new SyncProtocol.Offer(9, body));
        byte[] huge = frame.clone();
        ByteBuffer.wrap(huge).putInt(49, SyncProtocol.MAX_BODY + 1);
        assertThatThrownBy(() -> p.readOffer(in(huge), nonce)).hasMessageContaining("over the limit");
        byte[] http = "GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> p.readOffer(in(http), nonce)).hasMessageContaining("not a pulse lvs.cf sync offer");
        byte[] v2 = frame.clone();
        v2[4] = 2;
        assertThatThrownBy(() -> p.readOffer(in(v2), nonce)).hasMessageContaining("version 2 is not supported");
        assertThatThrownBy(() -> p.readOffer(in(new byte[0]), nonce)).hasMessageContaining("connection closed");
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 5);
        assertThatThrownBy(() -> p.readOffer(in(cut), nonce)).isInstanceOf(java.io.EOFException.class);
    }

    @Test
    void theKindOfAnOfferIsSignedToo() throws Exception {
        byte[] nonce = SyncProtocol.nonce();
        byte[] state = "{\"servers\":{}}".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = p.offer(nonce, new SyncProtocol.Offer(SyncProtocol.Kind.INTENTS, 1234, state));
        SyncProtocol.Offer got = p.readOffer(in(frame), nonce);
        assertThat(got.kind()).isEqualTo(SyncProtocol.Kind.INTENTS);
        assertThat(got.body()).isEqualTo(state);
        // the operator's intent passed off as lvs.cf (or the other way round) fails the MAC
        byte[] swapped = frame.clone();
        ByteBuffer.wrap(swapped).putInt(0, SyncProtocol.OFFER);
        assertThatThrownBy(() -> p.readOffer(in(swapped), nonce)).hasMessageContaining("bad MAC");
    }
}
