package piranha.daemon;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Puts a daemon's threads under SCHED_RR at a low real-time priority (pulse's: every one of its
 * threads, from the heartbeat to the hooks), so a busy machine (builds, a flood
 * of health checks) cannot make the heartbeat late. Not only the heartbeat thread: a garbage collection
 * or any other safepoint stops it until every thread running Java code has reached the safepoint, so a
 * starved ordinary thread would delay it just the same. The JIT compiler threads are left alone: a burst
 * of compilation at real-time priority could exhaust the kernel's real-time budget and stall every
 * real-time thread, the heartbeat included. pulse's threads run briefly and then sleep.
 * SCHED_RESET_ON_FORK keeps the policy from leaking into children (ip, lvsd, hooks) and into threads
 * started later, which {@link #applyToProcess} therefore picks up on each call.
 */
public final class RealtimeScheduling {
    private static final int SCHED_RR = 2;
    private static final int SCHED_RESET_ON_FORK = 0x40000000;

    interface LibC extends Library {
        int gettid();

        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

        int sched_getaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

        int sched_setaffinity(int pid, long cpusetsize, long[] mask) throws LastErrorException;

        int sched_getcpu();
    }

    /** A cpu_set_t of 1,024 CPUs, as glibc's. */
    private static final int CPU_SET_LONGS = 16;

    /** libc once loaded (the sweeps run every second); loading again after a failure, as before. */
    private static volatile LibC libc;

    private RealtimeScheduling() {}

    private static LibC libc() {
        LibC c = libc;
        if (c == null) libc = c = Native.load("c", LibC.class);
        return c;
    }

    /**
     * A daemon thread that puts itself under SCHED_RR before it runs r: pulse's own threads never wait
     * for the next {@link #applyToProcess} sweep.
     */
    public static Thread thread(String name, Runnable r) {
        Thread t = new Thread(() -> {
            applyToCurrentThread(1);
            r.run();
        }, name);
        t.setDaemon(true);
        return t;
    }

    /** The kernel's id of the calling thread (for {@link #applyToProcess(int, java.util.function.IntPredicate)}), or -1 without libc. */
    public static int currentTid() {
        try {
            return libc().gettid();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return -1;
        }
    }

    /** @return null when done, else why not (no root, no such call) */
    public static String applyToCurrentThread(int priority) {
        try {
            LibC c = libc();
            return apply(c, c.gettid(), priority);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return e.getMessage();
        }
    }

    /** The same for every thread of this process but the JIT compilers; returns how many failed. */
    public static int applyToProcess(int priority) {
        return applyToProcess(priority, tid -> false);
    }

    /**
     * The same for every thread of this process but the JIT compilers and the threads {@code keep}
     * names by their kernel id, which keep a priority of their own (pulse's heartbeat threads, above
     * its other threads); returns how many failed.
     */
    public static int applyToProcess(int priority, java.util.function.IntPredicate keep) {
        int failed = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            LibC c = libc();
            for (Path task : (Iterable<Path>) tasks::iterator) {
                int tid = Integer.parseInt(task.getFileName().toString());
                if (keep.test(tid)) continue;
                String comm;
                try {
                    comm = Files.readString(task.resolve("comm")).strip();
                } catch (IOException e) {
                    continue; // the thread has gone
                }
                if (comm.contains("CompilerThre")) continue;
                if (apply(c, tid, priority) != null) failed++;
            }
        } catch (IOException | UnsatisfiedLinkError | RuntimeException e) {
            failed++;
        }
        return failed;
    }

    /** The same for one thread of this process, by its kernel id; null when done, else why not. */
    public static String applyToThread(int tid, int priority) {
        try {
            return apply(libc(), tid, priority);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return e.getMessage();
        }
    }

    /** The CPUs this process may run on, ascending (empty without libc). */
    public static int[] allowedCpus() {
        long[] mask = new long[CPU_SET_LONGS];
        try {
            libc().sched_getaffinity(0, mask.length * 8L, mask);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new int[0];
        }
        return java.util.stream.IntStream.range(0, mask.length * 64)
                .filter(cpu -> (mask[cpu / 64] & (1L << (cpu % 64))) != 0).toArray();
    }

    /** The CPU the calling thread runs on now, or -1 without libc. */
    public static int currentCpu() {
        try {
            return libc().sched_getcpu();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return -1;
        }
    }

    /** Lets the thread {@code tid} of this process (0: the calling one) run on these CPUs only; null when done, else why not. */
    public static String setAffinity(int tid, int... cpus) {
        long[] mask = new long[CPU_SET_LONGS];
        for (int cpu : cpus) mask[cpu / 64] |= 1L << (cpu % 64);
        try {
            libc().sched_setaffinity(tid, mask.length * 8L, mask);
            return null;
        } catch (LastErrorException e) {
            return "errno " + e.getErrorCode();
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return e.getMessage();
        }
    }

    private static String apply(LibC c, int tid, int priority) {
        try {
            c.sched_setscheduler(tid, SCHED_RR | SCHED_RESET_ON_FORK, new int[] {priority});
            return null;
        } catch (LastErrorException e) {
            return "errno " + e.getErrorCode();
        }
    }
}
