package piranha.pulse.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import piranha.pulse.state.PeerState;

class PiranhaCodecTest {
    private final PiranhaCodec codec = new PiranhaCodec();

    private static ByteBuffer bytes(int... b) {
        ByteBuffer buf = ByteBuffer.allocate(b.length);
        for (int x : b) buf.put((byte) x);
        return buf.flip();
    }

    @Test
    void sendsThe4ByteMagicLittleEndianLikePiranhaOnX86() {
        assertThat(codec.encode(PeerState.RUNNING)).isEqualTo(bytes(0xDA, 0xDB, 0xAD, 0xBD));
        assertThat(codec.encode(PeerState.STOPPED)).isEqualTo(bytes(0xBD, 0xDA, 0xBD, 0xAD));
    }

    @Test
    void acceptsBothByteOrders() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            ByteBuffer running = ByteBuffer.allocate(4).order(order).putInt(0xBDADDBDA).flip();
            ByteBuffer stopped = ByteBuffer.allocate(4).order(order).putInt(0xADBDDABD).flip();
            assertThat(codec.decode(running).heartbeat().state()).isEqualTo(PeerState.RUNNING);
            assertThat(codec.decode(stopped).heartbeat().state()).isEqualTo(PeerState.STOPPED);
        }
    }

    @Test
    void roundTrips() {
        assertThat(codec.decode(codec.encode(PeerState.RUNNING)).heartbeat().state()).isEqualTo(PeerState.RUNNING);
        assertThat(codec.decode(codec.encode(PeerState.STOPPED)).heartbeat().state()).isEqualTo(PeerState.STOPPED);
    }

    @Test
    void rejectsWrongSizesFosMagicsAndUnknownValues() {
        assertThat(codec.decode(bytes(0xDA, 0xDB, 0xAD)).rejection()).isEqualTo(Rejection.TRUNCATED);
        assertThat(codec.decode(bytes(0xDA, 0xDB, 0xAD, 0xBD, 0)).rejection()).isEqualTo(Rejection.TRUNCATED);
        assertThat(codec.decode(bytes()).rejection()).isEqualTo(Rejection.TRUNCATED);
        assertThat(codec.decode(ByteBuffer.allocate(4).putInt(0xBEEFBABE).flip()).rejection())
                .isEqualTo(Rejection.INCOMPATIBLE);
        assertThat(codec.decode(ByteBuffer.allocate(4).putInt(0xDEADDADA).flip()).rejection())
                .isEqualTo(Rejection.INCOMPATIBLE);
        assertThat(codec.decode(ByteBuffer.allocate(4).putInt(0x12345678).flip()).rejection())
                .isEqualTo(Rejection.INCOMPATIBLE);
        assertThat(codec.decode(ByteBuffer.allocate(4).putInt(0xDEAFBABE).flip()).rejection())
                .isEqualTo(Rejection.IGNORED);
    }

    @Test
    void aSignedHeartbeatWithoutAKeyIsAWrongKey() {
        HeartbeatKey key = new HeartbeatKey("0123456789abcdef0123".getBytes());
        ByteBuffer signed = new AuthenticatedCodec(key, true, 1, 2, 1).encode(PeerState.RUNNING);
        assertThat(codec.decode(signed).rejection()).isEqualTo(Rejection.WRONG_KEY);
    }

    @Test
    void fosModeSpeaksTheFosMagicsAndRejectsLvsOnes() {
        PiranhaCodec fos = new PiranhaCodec(true);
        assertThat(fos.encode(PeerState.RUNNING)).isEqualTo(bytes(0xBE, 0xBA, 0xEF, 0xBE));
        assertThat(fos.encode(PeerState.STOPPED)).isEqualTo(bytes(0xEF, 0xBE, 0xAD, 0xDE));
        assertThat(fos.encode(PeerState.STAND_DOWN)).isEqualTo(bytes(0xDA, 0xDA, 0xAD, 0xDE));
        for (PeerState st : PeerState.values()) {
            assertThat(fos.decode(fos.encode(st)).heartbeat().state()).isEqualTo(st);
        }
        assertThat(fos.decode(codec.encode(PeerState.RUNNING)).rejection()).isEqualTo(Rejection.INCOMPATIBLE);
        assertThat(codec.decode(fos.encode(PeerState.STAND_DOWN)).rejection()).isEqualTo(Rejection.INCOMPATIBLE);
    }
}
