package piranha.pulse.heartbeat;

/**
 * Anti-replay state for one sender: the highest (epoch, sequence) seen plus a 64-entry bitmap below it,
 * so datagrams reordered between the public and the private path are still accepted exactly once.
 */
final class ReplayWindow {
    private static final int WIDTH = 64;
    private long epoch = Long.MIN_VALUE;
    private long highest;
    private long seen; // bit i set: highest - i was accepted

    /** True if (epoch, seq) is new; records it. Call only for authentic datagrams. */
    boolean accept(long msgEpoch, long seq) {
        if (msgEpoch < epoch) return false;
        if (msgEpoch > epoch) {
            epoch = msgEpoch;
            highest = seq;
            seen = 1;
            return true;
        }
        if (seq > highest) {
            long shift = seq - highest;
            seen = shift >= WIDTH ? 1 : (seen << shift) | 1;
            highest = seq;
            return true;
        }
        long back = highest - seq;
        if (back >= WIDTH) return false;
        long bit = 1L << back;
        if ((seen & bit) != 0) return false;
        seen |= bit;
        return true;
    }
}
