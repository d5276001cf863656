package piranha.pulse.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import piranha.pulse.state.Heartbeat;
import piranha.pulse.state.PeerState;

class AuthenticatedCodecTest {
    private static final int PRIMARY = 0xC6336401; // 198.51.100.1
    private static final int BACKUP = 0xC6336402;
    private final HeartbeatKey key = new HeartbeatKey("correct horse battery staple".getBytes());
    private final AuthenticatedCodec primary = new AuthenticatedCodec(key, true, PRIMARY, BACKUP, 1000);
    private final AuthenticatedCodec backup = new AuthenticatedCodec(key, false, BACKUP, PRIMARY, 2000);

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate());
        return c.flip();
    }

    @Test
    void roundTripCarriesStateRoleAndNode() {
        Decoded d = backup.decode(primary.encode(PeerState.RUNNING));
        assertThat(d.isAccepted()).isTrue();
        assertThat(d.heartbeat()).isEqualTo(new Heartbeat(PeerState.RUNNING, true, PRIMARY));
        d = primary.decode(backup.encode(PeerState.STOPPED));
        assertThat(d.heartbeat()).isEqualTo(new Heartbeat(PeerState.STOPPED, false, BACKUP));
    }

    @Test
    void layoutIsNetworkByteOrder() {
        ByteBuffer b = primary.encode(PeerState.STOPPED);
        assertThat(b.remaining()).isEqualTo(64);
        assertThat(b.getInt(0)).isEqualTo(0x50554C53);
        assertThat(b.get(0)).isEqualTo((byte) 'P');
        assertThat(b.get(4)).isEqualTo((byte) 1);
        assertThat(b.get(5)).isEqualTo((byte) 2);
        assertThat(b.get(6)).isEqualTo((byte) 1);
        assertThat(b.getInt(8)).isEqualTo(key.id());
        assertThat(b.getInt(12)).isEqualTo(PRIMARY);
        assertThat(b.getLong(16)).isEqualTo(1000);
        assertThat(b.getLong(24)).isEqualTo(1);
        assertThat(primary.encode(PeerState.STOPPED).getLong(24)).isEqualTo(2);
    }

    @Test
    void replaysAreDropped() {
        ByteBuffer first = primary.encode(PeerState.STOPPED);
        assertThat(backup.decode(copy(first)).isAccepted()).isTrue();
        assertThat(backup.decode(copy(first)).rejection()).isEqualTo(Rejection.REPLAYED);
    }

    @Test
    void reorderingWithinTheWindowIsAcceptedOnceButOldOnesAreNot() {
        List<ByteBuffer> sent = new ArrayList<>();
        for (int i = 0; i < 70; i++) sent.add(primary.encode(PeerState.RUNNING));
        assertThat(backup.decode(copy(sent.get(69))).isAccepted()).isTrue();
        assertThat(backup.decode(copy(sent.get(68))).isAccepted()).isTrue();
        assertThat(backup.decode(copy(sent.get(10))).isAccepted()).isTrue();
        assertThat(backup.decode(copy(sent.get(10))).rejection()).isEqualTo(Rejection.REPLAYED);
        assertThat(backup.decode(copy(sent.get(3))).rejection()).isEqualTo(Rejection.REPLAYED);
    }

    @Test
    void aRestartedSenderIsAcceptedAndItsOldEpochIsNot() {
        ByteBuffer old = primary.encode(PeerState.RUNNING);
        AuthenticatedCodec restarted = new AuthenticatedCodec(key, true, PRIMARY, BACKUP, 5000);
        assertThat(backup.decode(restarted.encode(PeerState.STOPPED)).isAccepted()).isTrue();
        assertThat(backup.decode(old).rejection()).isEqualTo(Rejection.REPLAYED);
    }

    @Test
    void everyFlippedBitIsDetected() {
        ByteBuffer good = primary.encode(PeerState.STOPPED);
        for (int bit = 0; bit < 64 * 8; bit++) {
            ByteBuffer bad = copy(good);
            bad.put(bit / 8, (byte) (bad.get(bit / 8) ^ (1 << (bit % 8))));
            assertThat(backup.decode(bad).isAccepted()).as("bit %d", bit).isFalse();
        }
        assertThat(backup.decode(good).isAccepted()).isTrue();
    }

    @Test
    void forgeriesWrongKeysAndTruncationsAreTold() {
        ByteBuffer good = primary.encode(PeerState.RUNNING);
        ByteBuffer forged = copy(good);
        forged.put(5, (byte) 2); // running -> stopped without re-signing
        assertThat(backup.decode(forged).rejection()).isEqualTo(Rejection.FORGED);

        HeartbeatKey other = new HeartbeatKey("another secret of enough length".getBytes());
        ByteBuffer foreign = new AuthenticatedCodec(other, true, PRIMARY, BACKUP, 1).encode(PeerState.RUNNING);
        assertThat(backup.decode(foreign).rejection()).isEqualTo(Rejection.WRONG_KEY);

        ByteBuffer shortOne = copy(good).limit(40);
        assertThat(backup.decode(shortOne).rejection()).isEqualTo(Rejection.TRUNCATED);
        assertThat(backup.decode(ByteBuffer.allocate(2)).rejection()).isEqualTo(Rejection.TRUNCATED);
        ByteBuffer longOne = ByteBuffer.allocate(65).put(copy(good)).put((byte) 0).flip();
        assertThat(backup.decode(longOne).rejection()).isEqualTo(Rejection.TRUNCATED);
        assertThat(backup.decode(good).isAccepted()).isTrue();
    }

    @Test
    void piranhaMagicIsIgnoredWhenAKeyIsSet() {
        ByteBuffer plain = new PiranhaCodec().encode(PeerState.STOPPED);
        assertThat(backup.decode(plain).rejection()).isEqualTo(Rejection.UNAUTHENTICATED);
    }

    @Test
    void ownPacketsReflectedBackNameTheWrongNode() {
        assertThat(primary.decode(primary.encode(PeerState.RUNNING)).rejection()).isEqualTo(Rejection.WRONG_NODE);
    }

    @Test
    void keyFileMustBePrivateAndLongEnough(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("hb.key");
        Files.writeString(f, "0123456789abcdefXYZ\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> HeartbeatKey.load(f)).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        HeartbeatKey loaded = HeartbeatKey.load(f);
        assertThat(loaded.id()).isEqualTo(new HeartbeatKey("0123456789abcdefXYZ".getBytes()).id());
        Files.writeString(f, "short\n");
        assertThatThrownBy(() -> HeartbeatKey.load(f)).hasMessageContaining("too short");
        assertThatThrownBy(() -> HeartbeatKey.load(dir.resolve("missing"))).hasMessageContaining("not a file");
    }

    @Test
    void carriesAStandDownRequest() {
        Decoded d = primary.decode(backup.encode(PeerState.STAND_DOWN));
        assertThat(d.heartbeat()).isEqualTo(new Heartbeat(PeerState.STAND_DOWN, false, BACKUP));
    }

    @Test
    void versionTwoCarriesTheSendersLvsCfStampAndVersionOneStillPasses() {
        piranha.pulse.config.ConfigStamp stamp = piranha.pulse.config.ConfigStamp.of(42, "serial_no = 42\n".getBytes());
        AuthenticatedCodec stamped = new AuthenticatedCodec(key, true, PRIMARY, BACKUP, 3000, stamp);
        ByteBuffer b = stamped.encode(PeerState.RUNNING);
        assertThat(b.remaining()).isEqualTo(AuthenticatedCodec.LENGTH_WITH_CONFIG);
        assertThat(b.get(4)).isEqualTo((byte) 2);
        Decoded d = backup.decode(b);
        assertThat(d.heartbeat()).isEqualTo(new Heartbeat(PeerState.RUNNING, true, PRIMARY));
        assertThat(d.config()).isEqualTo(stamp);
        assertThat(d.config().digestHex()).hasSize(64);
        // an older pulse's 64-byte heartbeat: accepted, says nothing of its lvs.cf
        d = stamped.decode(backup.encode(PeerState.STOPPED));
        assertThat(d.isAccepted()).isTrue();
        assertThat(d.config()).isNull();
    }

    @Test
    void aChangedSerialOrDigestFailsTheMac() {
        piranha.pulse.config.ConfigStamp stamp = piranha.pulse.config.ConfigStamp.of(7, "x".getBytes());
        AuthenticatedCodec stamped = new AuthenticatedCodec(key, true, PRIMARY, BACKUP, 3000, stamp);
        for (int at : new int[] {39, 40, 71}) {
            ByteBuffer b = copy(stamped.encode(PeerState.RUNNING));
            b.put(at, (byte) (b.get(at) ^ 1));
            assertThat(backup.decode(b).rejection()).as("byte " + at).isEqualTo(Rejection.FORGED);
        }
        // a version byte that does not match the length
        ByteBuffer b = copy(stamped.encode(PeerState.RUNNING));
        b.put(4, (byte) 1);
        assertThat(backup.decode(b).rejection()).isEqualTo(Rejection.INCOMPATIBLE);
        // Piranha's codec calls a signed heartbeat of either length a key mismatch
        assertThat(new PiranhaCodec().decode(stamped.encode(PeerState.RUNNING)).rejection()).isEqualTo(Rejection.WRONG_KEY);
    }
}
