package piranha.lvsd.testing;

import java.time.Duration;

/** Retries an assertion until it holds or the time is up (then its last failure is thrown). */
public final class Eventually {
    private Eventually() {}

    public static void within(Duration limit, ThrowingRunnable check) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (AssertionError | Exception e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }
}
