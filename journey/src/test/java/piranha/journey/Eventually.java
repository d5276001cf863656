package piranha.journey;

import java.time.Duration;

/** Retries a check until it passes or the time is up; the last failure is the one reported. */
final class Eventually {
    interface Check {
        void run() throws Exception;
    }

    interface Probe<T> {
        T get() throws Exception;
    }

    private Eventually() {}

    /** The probe's value once it passes. */
    @SuppressWarnings("unchecked")
    static <T> T value(Duration limit, Probe<T> probe) throws Exception {
        Object[] out = new Object[1];
        within(limit, () -> out[0] = probe.get());
        return (T) out[0];
    }

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
