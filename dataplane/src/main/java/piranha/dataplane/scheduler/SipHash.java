package piranha.dataplane.scheduler;

/**
 * SipHash with a 128-bit key and a selectable number of rounds, as the kernel's lib/siphash.c
 * computes it. The kernel's {@code hsiphash} on a 64-bit machine is SipHash-1-3 truncated to 32
 * bits (lib/siphash.c: "on 64-bit, we make HalfSipHash1-3 actually be SipHash1-3"); mh hashes
 * with it, so this class reproduces that, not HalfSipHash.
 */
final class SipHash {
    private SipHash() {}

    /**
     * SipHash-c-d of {@code msg}: {@code cRounds} per 8-byte block, {@code dRounds} to finish.
     * The key words are {@code k0} and {@code k1} (the kernel's {@code key->key[0]}, {@code [1]}).
     */
    static long hash(int cRounds, int dRounds, long k0, long k1, byte[] msg) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int whole = msg.length - msg.length % 8;
        long[] v = {v0, v1, v2, v3};
        for (int i = 0; i < whole; i += 8) {
            long m = littleEndian(msg, i, 8);
            v[3] ^= m;
            for (int r = 0; r < cRounds; r++) round(v);
            v[0] ^= m;
        }
        long b = ((long) msg.length << 56) | littleEndian(msg, whole, msg.length - whole);
        v[3] ^= b;
        for (int r = 0; r < cRounds; r++) round(v);
        v[0] ^= b;
        v[2] ^= 0xff;
        for (int r = 0; r < dRounds; r++) round(v);
        return v[0] ^ v[1] ^ v[2] ^ v[3];
    }

    /** The kernel's {@code hsiphash(&v, sizeof(v), key)} of one u32 on a little-endian 64-bit machine. */
    static int hsiphash32(int value, long k0, long k1) {
        byte[] msg = {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)};
        return (int) hash(1, 3, k0, k1, msg);
    }

    private static long littleEndian(byte[] b, int from, int count) {
        long m = 0;
        for (int i = count - 1; i >= 0; i--) m = (m << 8) | (b[from + i] & 0xffL);
        return m;
    }

    private static void round(long[] v) {
        v[0] += v[1]; v[1] = Long.rotateLeft(v[1], 13); v[1] ^= v[0]; v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3]; v[3] = Long.rotateLeft(v[3], 16); v[3] ^= v[2];
        v[0] += v[3]; v[3] = Long.rotateLeft(v[3], 21); v[3] ^= v[0];
        v[2] += v[1]; v[1] = Long.rotateLeft(v[1], 17); v[1] ^= v[2]; v[2] = Long.rotateLeft(v[2], 32);
    }
}
