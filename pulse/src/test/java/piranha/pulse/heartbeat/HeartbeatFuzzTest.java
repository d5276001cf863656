package piranha.pulse.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import piranha.pulse.state.PeerState;

import org.junit.jupiter.api.Test;

/**
 * Hostile datagrams against both decoders, as a heartbeat socket may receive them from anyone:
 * random bytes and lengths, and mutations of genuine heartbeats (bit flips, truncation, extension,
 * splices, replays), in buffers at any position. A decoder never throws, answers with exactly one
 * of a heartbeat or a rejection, accepts nothing it should not, and a genuine fresh heartbeat is
 * still accepted afterwards. Each run is bounded by a count and by time; the seed is in every
 * failure message (set -Dfuzz.seed=N to replay one).
 */
class HeartbeatFuzzTest {
    private static final int CASES = 200_000;
    private static final long MAX_NANOS = 20_000_000_000L;
    private static final int PRIMARY = 0xC6336401;
    private static final int BACKUP = 0xC6336402;
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());

    @Test
    void piranhaDecoderAcceptsExactlyTheTwoLvsMagicsInFourBytes() {
        PiranhaCodec codec = new PiranhaCodec();
        Random r = new Random(SEED);
        List<byte[]> genuine = List.of(bytes(codec.encode(PeerState.RUNNING)), bytes(codec.encode(PeerState.STOPPED)),
                bigEndian(Magic.LVS_RUNNING), bigEndian(Magic.LVS_STOPPED));
        long end = System.nanoTime() + MAX_NANOS;
        for (int i = 0; i < CASES && System.nanoTime() - end < 0; i++) {
            byte[] d = r.nextInt(3) == 0 ? random(r, r.nextInt(80)) : mutate(genuine.get(r.nextInt(genuine.size())), genuine, r);
            Decoded out = decode(codec, d, r, i);
            Magic m = d.length == 4 ? Magic.of(ByteBuffer.wrap(d).getInt()) : null;
            boolean lvs = m == Magic.LVS_RUNNING || m == Magic.LVS_STOPPED;
            assertThat(out.isAccepted()).as("seed %d case %d: %s", SEED, i, hex(d)).isEqualTo(lvs);
            if (lvs) {
                assertThat(out.heartbeat().state()).isEqualTo(m == Magic.LVS_RUNNING ? PeerState.RUNNING : PeerState.STOPPED);
            }
        }
    }

    @Test
    void signedDecoderAcceptsOnlyGenuineFreshHeartbeatsOfThePartner() {
        HeartbeatKey key = new HeartbeatKey("fuzzing key of thirty-two bytes!".getBytes());
        AuthenticatedCodec partner = new AuthenticatedCodec(key, true, PRIMARY, BACKUP, 1_000);
        AuthenticatedCodec self = new AuthenticatedCodec(key, false, BACKUP, PRIMARY, 2_000);
        AuthenticatedCodec stranger = new AuthenticatedCodec(new HeartbeatKey("another key, also long enough!!".getBytes()),
                true, PRIMARY, BACKUP, 3_000);
        Random r = new Random(SEED);
        List<byte[]> seen = new ArrayList<>();
        long end = System.nanoTime() + MAX_NANOS;
        for (int i = 0; i < CASES && System.nanoTime() - end < 0; i++) {
            if (r.nextInt(50) == 0 || seen.isEmpty()) {
                byte[] fresh = bytes(partner.encode(r.nextBoolean() ? PeerState.RUNNING : PeerState.STOPPED));
                if (r.nextInt(10) != 0) { // now and then one is lost on the way: the next ones skip a number
                    assertThat(decode(self, fresh, r, i).isAccepted()).as("seed %d case %d: genuine", SEED, i).isTrue();
                    seen.add(fresh);
                    if (seen.size() > 200) {
                        seen.remove(0);
                    }
                }
                continue;
            }
            byte[] d = switch (r.nextInt(5)) {
                case 0 -> random(r, r.nextInt(100));
                case 1 -> bytes(stranger.encode(PeerState.RUNNING));
                case 2 -> bytes(self.encode(PeerState.RUNNING)); // our own, reflected back
                case 3 -> seen.get(r.nextInt(seen.size())).clone(); // a replay
                default -> mutate(seen.get(r.nextInt(seen.size())), seen, r);
            };
            Decoded out = decode(self, d, r, i);
            assertThat(out.isAccepted()).as("seed %d case %d accepted %s", SEED, i, hex(d)).isFalse();
        }
        assertThat(decode(self, bytes(partner.encode(PeerState.RUNNING)), r, -1).isAccepted())
                .as("seed %d: a fresh genuine heartbeat after the storm", SEED).isTrue();
    }

    /** Decodes from a buffer of a random kind and position; checks the outcome's shape. */
    private static Decoded decode(HeartbeatCodec codec, byte[] d, Random r, int i) {
        int before = r.nextInt(8);
        ByteBuffer b = r.nextBoolean() ? ByteBuffer.allocate(before + d.length + 8) : ByteBuffer.allocateDirect(before + d.length + 8);
        b.position(before);
        b.put(d);
        b.flip().position(before);
        if (r.nextBoolean()) {
            b = b.asReadOnlyBuffer();
        }
        int position = b.position();
        int limit = b.limit();
        Decoded out = codec.decode(b);
        assertThat(out).as("seed %d case %d", SEED, i).isNotNull();
        assertThat(out.isAccepted()).isNotEqualTo(out.rejection() != null);
        assertThat(b.position()).as("the datagram buffer is left as it was").isEqualTo(position);
        assertThat(b.limit()).isEqualTo(limit);
        return out;
    }

    private static byte[] mutate(byte[] original, List<byte[]> others, Random r) {
        byte[] b = original.clone();
        switch (r.nextInt(6)) {
            case 0 -> b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            case 1 -> b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
            case 2 -> b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            case 3 -> b = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(64));
            case 4 -> {
                byte[] other = others.get(r.nextInt(others.size()));
                int cut = r.nextInt(Math.min(b.length, other.length) + 1);
                System.arraycopy(other, cut, b, cut, Math.min(b.length, other.length) - cut);
                b[r.nextInt(b.length)] ^= 1; // never a plain copy of a genuine one
            }
            default -> {
                for (int n = 1 + r.nextInt(6); n > 0; n--) {
                    b[r.nextInt(b.length)] = (byte) r.nextInt(256);
                }
                b[r.nextInt(b.length)] ^= (byte) 0x80;
            }
        }
        if (java.util.Arrays.equals(b, original)) {
            b[0] ^= 1;
        }
        return b;
    }

    private static byte[] random(Random r, int length) {
        byte[] b = new byte[length];
        r.nextBytes(b);
        return b;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    private static byte[] bigEndian(Magic m) {
        return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(m.value).array();
    }

    private static String hex(byte[] b) {
        return java.util.HexFormat.of().formatHex(b);
    }
}
