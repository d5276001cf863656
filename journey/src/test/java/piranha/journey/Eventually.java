package piranha.journey;

import java.time.Duration;

/** Retries a check until it passes or the time is up; the last failure is the one reported. */
final class Eventually {
    interface Check {
        void run() throws Exception;
    }

    private Eventually() {}

    static void within(Duration limit, Check check) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                check.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() - end > 0) {
                    throw e;
                }
                Thread.sleep(250);
            }
        }
    }
}
