package piranha.pulse.heartbeat;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Puts the calling thread under SCHED_RR at a low real-time priority, so a busy machine (builds, a
 * flood of health checks) cannot make the heartbeat late: it only ever runs briefly and then sleeps.
 */
final class RealtimeScheduling {
    private static final int SCHED_RR = 2;

    interface LibC extends Library {
        int gettid();

        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;
    }

    private RealtimeScheduling() {}

    /** @return null when done, else why not (no root, no such call) */
    static String applyToCurrentThread(int priority) {
        try {
            LibC c = Native.load("c", LibC.class);
            c.sched_setscheduler(c.gettid(), SCHED_RR, new int[] {priority});
            return null;
        } catch (LastErrorException e) {
            return "errno " + e.getErrorCode();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return e.getMessage();
        }
    }
}
